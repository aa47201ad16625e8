#!/usr/bin/env bash
# One command runs every test: typecheck, unit, integration and end-to-end tests,
# installing what they need first (npm packages, Chromium for the browser tests,
# Kamailio, rtpengine and SIPp for the telephony tests).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_node
apt_install chromium fonts-noto-cjk sip-tester openssl sqlite3
apt_install_telephony
npm_install
log "typecheck"
npm run typecheck
# Lint (ESLint, architecture boundaries) and format (Prettier) checks.
log "lint"
npm run lint
log "format check"
npm run format:check
build_client
mkdir -p .run
log "tests"
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.run/vitest.json || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".run/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) process.exit(1);
' || status=1
exit $status
