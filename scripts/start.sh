#!/usr/bin/env bash
# One command: installs what is missing, builds the client, creates the demo database on
# first start and runs the product: rtpengine, then Kamailio (both configured from
# sip-config/ with the same settings the server reads), then the routing server.
# Ctrl-C (or SIGTERM) stops all three, the server first. If the routing server exits
# unexpectedly (a crash, a kill -9), it is started again with back-off while Kamailio and
# rtpengine stay up holding the waiting calls (the new server resyncs with Kamailio). If
# rtpengine or Kamailio dies, this says so and stops everything (exit 1): a hotline that
# queues calls it cannot ring is worse than one that is down. TELEPHONY=none runs the
# console alone.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_node

export TELEPHONY="${TELEPHONY:-kamailio}"
export PORT="${PORT:-3000}"

[ "$TELEPHONY" = none ] || apt_install_telephony
npm_install
build_client

srv_pid="" kam_pid="" rtp_pid="" fwd_pids=()
stopping=0

# gone PID: the process has exited (a zombie not yet reaped counts as gone).
gone() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat=${stat##*) }
  [ "${stat%% *}" = Z ]
}

# stop_child NAME PIDVAR TIMEOUT_S [group]: SIGTERM, wait up to TIMEOUT_S, then SIGKILL
# (the whole process group with "group": Kamailio's workers). Polls rather than
# `wait -n` with a timer: inside a trap handler bash does not always notice a child's exit.
stop_child() {
  local name=$1 var=$2 timeout=$3 group=${4:-} pid i
  pid=${!var}
  [ -n "$pid" ] || return 0
  printf -v "$var" '%s' ""
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    gone "$pid" && break
    sleep 0.1
  done
  if ! gone "$pid"; then
    log "$name (pid $pid) did not stop within $timeout s: killing it"
    if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" 2>/dev/null || true
  # Kamailio's workers normally end with it; none may outlive it holding the ports.
  if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
}

# shutdown EXIT_CODE: server first (it stops taking calls and stores the open recordings), then
# Kamailio, then the recordings still open in rtpengine are stopped, then rtpengine.
shutdown() {
  [ "$stopping" -eq 0 ] || return 0
  stopping=1
  trap '' INT TERM HUP
  # Kamailio logs a CRITICAL or two while it stops; the log file keeps them.
  local p
  for p in "${fwd_pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  stop_child "the routing server" srv_pid 10
  stop_child Kamailio kam_pid 5 group
  # rtpengine 10.5 crashes (SIGSEGV in recording_finish) if stopped with a recording open.
  [ -z "$rtp_pid" ] || node --import tsx scripts/stop-recordings.ts || true
  stop_child rtpengine rtp_pid 5
  [ "$1" -eq 0 ] || [ "$1" -ge 128 ] || log "stopped (exit $1)"
  exit "$1"
}
trap 'echo; log "stopping: the routing server, then Kamailio, then rtpengine"; shutdown 130' INT
trap 'log "stopping (SIGTERM)"; shutdown 143' TERM
trap 'shutdown 129' HUP

# describe_exit CODE: "exit code 3" or "killed by SIGKILL".
describe_exit() {
  if [ "$1" -gt 128 ]; then echo "killed by SIG$(kill -l "$(($1 - 128))" 2>/dev/null || echo "$(($1 - 128))")"; else echo "exit code $1"; fi
}

# report_death NAME PID CODE LOG WHEN: loud, with the last lines of its log.
report_death() {
  printf '\033[1;31m[12348] %s (pid %s) %s: %s. Last lines of %s:\033[0m\n' "$1" "$2" "$5" "$(describe_exit "$3")" "$4" >&2
  if [ -s "$4" ]; then tail -n 20 "$4" | sed 's/^/    /' >&2; else echo "    (empty)" >&2; fi
}

# stop_stale NAME PIDFILE CONF: a daemon that an earlier start left behind (that start was
# killed with SIGKILL) still holds our ports. It is ours if its command line names our
# config; it is left over if no start.sh is its parent any more.
stop_stale() {
  local pid stat ppid
  pid="$(cat "$2" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$3" || return 0
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 0
  stat=${stat##*) }
  read -r _ ppid _ <<<"$stat"
  if [ -r "/proc/$ppid/cmdline" ] && tr '\0' ' ' <"/proc/$ppid/cmdline" | grep -q 'scripts/start.sh'; then
    die "another npm start (pid $ppid) runs $1 from $SIP_RUN_DIR: stop that one first, or give this one its own SIP_RUN_DIR and ports"
  fi
  log "stopping the $1 (pid $pid) that an earlier start left running"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

# fresh_log FILE: keeps the previous run's log as FILE.1; logs are readable by this user
# only (Kamailio prints its auth secret at start).
fresh_log() {
  [ ! -f "$1" ] || mv -f "$1" "$1.1"
  (umask 077 && : >"$1")
}

# forward_errors NAME LOG PATTERN: error lines of a log also go to the console, prefixed.
forward_errors() {
  setsid bash -c 'tail -q -n +1 -F --pid="$4" "$1" 2>/dev/null | grep --line-buffered -E "$2" | sed -u "s/^/[$3] /" >&2' _ "$2" "$3" "$1" "$$" &
  fwd_pids+=($!)
}

if [ "$TELEPHONY" != none ]; then
  # Render sip-config/ into SIP_RUN_DIR and check it with kamailio -c; prints KEY='value' lines.
  sip_vars="$(node --import tsx scripts/sip-config.ts)" || exit $?
  eval "$sip_vars"
  RTP_LOG="$SIP_RUN_DIR/rtpengine.log"
  KAM_LOG="$SIP_RUN_DIR/kamailio.log"
  stop_stale rtpengine "$SIP_RUN_DIR/rtpengine.pid" "$RTPENGINE_CONF"
  stop_stale Kamailio "$SIP_RUN_DIR/kamailio.pid" "$KAMAILIO_CFG"
fi
node --import tsx scripts/probe.ts ports || exit 1

if [ "$TELEPHONY" != none ]; then
  fresh_log "$RTP_LOG"
  fresh_log "$KAM_LOG"
  forward_errors rtpengine "$RTP_LOG" '\] (ERR|CRIT|ALERT|EMERG):'
  forward_errors kamailio "$KAM_LOG" '(ERROR|CRITICAL|ALERT|BUG|EMERG[A-Z]*):'

  log "starting rtpengine (control $RTPENGINE_NG_ADDR, media $RTP_ADDR ports $RTP_PORT_MIN-$RTP_PORT_MAX)"
  # setsid: a terminal's Ctrl-C reaches only this script, which stops the three in order.
  setsid rtpengine --config-file="$RTPENGINE_CONF" --config-section=rtpengine --foreground --log-stderr \
    --pidfile="$SIP_RUN_DIR/rtpengine.pid" </dev/null >>"$RTP_LOG" 2>&1 &
  rtp_pid=$!
  if ! node --import tsx scripts/probe.ts rtpengine "$rtp_pid"; then
    pid=$rtp_pid rc=0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    rtp_pid=""
    report_death rtpengine "$pid" "$rc" "$RTP_LOG" "did not start"
    shutdown 1
  fi

  log "starting Kamailio (trunk udp $SIP_TRUNK_ADDR, softphones $SIP_WS_URL, evapi $EVAPI_ADDR)"
  # 256 MB shared memory: every queued call is a suspended transaction held there; at 200 new
  # calls per second Kamailio uses about 65 MB (docs/benchmarks.md), beyond its 64 MB default.
  setsid kamailio -f "$KAMAILIO_CFG" -DD -E -m 256 -M 16 -P "$SIP_RUN_DIR/kamailio.pid" </dev/null >>"$KAM_LOG" 2>&1 &
  kam_pid=$!
  if ! node --import tsx scripts/probe.ts kamailio "$kam_pid"; then
    pid=$kam_pid rc=0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    kam_pid=""
    kill -KILL -- "-$pid" 2>/dev/null || true
    report_death Kamailio "$pid" "$rc" "$KAM_LOG" "did not start"
    shutdown 1
  fi
  log "telephony up; logs: $KAM_LOG, $RTP_LOG (their errors are also shown here)"
else
  log "TELEPHONY=none: no Kamailio or rtpengine; the console runs without calls"
fi

srv_started=0 restarts=0 backoff=1
start_server() {
  log "starting the routing server on port $PORT (demo accounts: see README)"
  node --import tsx server/src/main.ts &
  srv_pid=$!
  srv_started=$SECONDS
}
start_server

# Waits for whichever of the three exits first. The routing server is started again after any
# exit this script did not ask for, with back-off (1 s, doubling up to 30 s; back to 1 s once
# a run lasted a minute): it restores the last committed state from the database and resyncs
# with Kamailio, which kept every waiting call meanwhile. A configuration error (exit 78)
# would only repeat, so it stops the product. Kamailio or rtpengine exiting stops it too.
while true; do
  who="" rc=0
  wait -n -p who $srv_pid $kam_pid $rtp_pid || rc=$?
  [ -n "$who" ] || continue # a signal interrupted wait; its trap runs shutdown
  if [ "$who" = "$srv_pid" ]; then
    srv_pid=""
    if [ "$rc" -eq 78 ]; then
      log "the routing server refused its configuration (see above); stopping the telephony"
      shutdown 1
    fi
    [ $((SECONDS - srv_started)) -lt 60 ] || backoff=1
    restarts=$((restarts + 1))
    if [ "$rc" -eq 70 ]; then why="stopped after a storage failure"; else why="exited unexpectedly ($(describe_exit "$rc"))"; fi
    kept=""
    [ "$TELEPHONY" = none ] || kept="; Kamailio and rtpengine stay up and keep the waiting calls"
    printf '\033[1;33m[12348] the routing server %s%s; restarting it in %s s (restart %s)\033[0m\n' "$why" "$kept" "$backoff" "$restarts" >&2
    sleep "$backoff" &
    wait $! || true
    backoff=$((backoff * 2 > 30 ? 30 : backoff * 2))
    start_server
    continue
  elif [ "$who" = "$kam_pid" ]; then
    kam_pid=""
    kill -KILL -- "-$who" 2>/dev/null || true
    report_death Kamailio "$who" "$rc" "$KAM_LOG" "stopped while the hotline was running"
    log "no calls can reach the seats without Kamailio: stopping the hotline"
    shutdown 1
  elif [ "$who" = "$rtp_pid" ]; then
    rtp_pid=""
    report_death rtpengine "$who" "$rc" "$RTP_LOG" "stopped while the hotline was running"
    log "calls have no media without rtpengine: stopping the hotline"
    shutdown 1
  fi
done
