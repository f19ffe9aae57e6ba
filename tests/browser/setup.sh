#!/usr/bin/env bash
# Installs what the browser checks need, only when it is missing: Debian's
# chromium, the Noto CJK fonts (so the font-family checks have the intended
# families), poppler-utils, and playwright-core from package-lock.json.
# Idempotent; run by tests/suite/browser.rs before every browser check.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
# pdftotext reads the page numbers back from the printed PDF; pdftoppm turns
# its first page into the print screenshot.
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  # Other jobs on the machine may hold the dpkg lock; wait for it.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${need_apt[@]}" fontconfig >/dev/null
fi
[ -x /usr/bin/chromium ] || { echo "setup: /usr/bin/chromium is still missing" >&2; exit 1; }

if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
