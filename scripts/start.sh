#!/usr/bin/env bash
# One command: installs what is missing, builds the client, creates the demo
# database on first start and runs the product. Ctrl-C stops it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_node
npm_install
build_client
export PORT="${PORT:-3000}"
log "starting the routing server on port $PORT (demo accounts: see README)"
exec node --import tsx server/src/main.ts
