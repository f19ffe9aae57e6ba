#!/usr/bin/env bash
# Installs what the .docx tests need, only when it is missing: python-docx
# (PyPI) for tests/docx/make_fixtures.py, and Debian's LibreOffice Writer,
# poppler-utils and the Noto CJK fonts for the rendering test. Idempotent;
# run by tests/suite/docx.rs before the rendering test, and by hand before
# regenerating the fixtures:
#   bash tests/docx/setup.sh && python3 tests/docx/make_fixtures.py
set -euo pipefail
cd "$(dirname "$0")"

python3 -c 'import docx' 2>/dev/null || python3 -m pip install --quiet 'python-docx>=1.1'

need_apt=()
command -v soffice >/dev/null || need_apt+=(libreoffice-writer)
command -v pdftoppm >/dev/null && command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -q "Noto Serif CJK" || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  # Other jobs on the machine may hold the dpkg lock; wait for it.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${need_apt[@]}" fontconfig >/dev/null
fi
command -v soffice >/dev/null || { echo "setup: soffice is still missing" >&2; exit 1; }
