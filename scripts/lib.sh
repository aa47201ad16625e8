# Shared steps for start.sh and test.sh: install only what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;34m[12348]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[12348] %s\033[0m\n' "$*" >&2; exit 1; }

need_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is needed (apt-get install nodejs npm, or your usual Node install)."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js 20 or newer is needed; this machine has $(node --version)."
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT_UPDATED=0

# apt_install PKG... : installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "Debian packages missing (${missing[*]}) and apt-get is not available."
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

TELEPHONY_PACKAGES=(kamailio kamailio-websocket-modules kamailio-extra-modules kamailio-json-modules
  kamailio-autheph-modules kamailio-tls-modules kamailio-utils-modules rtpengine-daemon openssl
  lame) # lame: call recordings to MP3 (docs/recordings.md)

# Installs Kamailio and rtpengine where missing. Debian's kamailio and rtpengine-daemon
# packages start their own services with the stock configs, on the ports this product uses
# by default (5060, 2223); when this call is what installed them, it stops and disables
# those services (npm start runs its own instances). A service that was there before is
# left alone: start.sh's port check names it if it is in the way.
apt_install_telephony() {
  local fresh=() svc
  for svc in kamailio rtpengine-daemon; do
    dpkg-query -W -f='${Status}' "$svc" 2>/dev/null | grep -q 'install ok installed' || fresh+=("$svc")
  done
  apt_install "${TELEPHONY_PACKAGES[@]}"
  [ ${#fresh[@]} -gt 0 ] && [ -d /run/systemd/system ] || return 0
  for svc in "${fresh[@]}"; do
    if systemctl is-active --quiet "$svc" || systemctl is-enabled --quiet "$svc" 2>/dev/null; then
      log "stopping and disabling the $svc service that Debian's package started (npm start runs its own, with this product's config)"
      $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || log "could not stop it: run sudo systemctl disable --now $svc"
    fi
  done
}

# Installs npm packages when node_modules is missing or older than the lock file.
npm_install() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Builds the client when its sources are newer than the last build.
build_client() {
  if [ ! -f client/dist/index.html ] || [ -n "$(find client/src client/index.html client/vite.config.ts server/src/contract -newer client/dist/index.html -print -quit 2>/dev/null)" ]; then
    log "building the client"
    npx vite build --config client/vite.config.ts --logLevel warn
  fi
}
