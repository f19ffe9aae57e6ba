#!/usr/bin/env bash
# Installs what the editor end-to-end test needs, only when it is missing:
# Debian's neovim. Idempotent; run by tests/suite/editors.rs before the
# test. Exits 3 (and says so) when there is no apt-get to install with.
set -euo pipefail

if command -v nvim >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: nvim is missing and there is no apt-get to install it with" >&2
  exit 3
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
# Other jobs on the machine may hold the dpkg lock; wait for it.
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends neovim >/dev/null
command -v nvim >/dev/null || { echo "setup: nvim is still missing" >&2; exit 1; }
