#!/usr/bin/env bash
# One command: installs what is missing, builds the client, creates the demo
# database on first start and runs the product. Ctrl-C stops it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_node
npm_install
build_client
export PORT="${PORT:-3000}"
log "starting the routing server on port $PORT (demo accounts: see README)"
# The server exits with 70 when it could not store a change (crash-only recovery):
# start it again, and it restores the last committed state. Any other exit stops here.
# (a background child ignores SIGINT, so Ctrl-C is passed on as SIGTERM, which the server handles)
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 130' INT TERM
while true; do
  node --import tsx server/src/main.ts &
  child=$!
  rc=0
  wait "$child" || rc=$?
  [ "$rc" -eq 70 ] || exit "$rc"
  log "the server stopped after a storage failure; restarting it in 2 s"
  sleep 2
done
