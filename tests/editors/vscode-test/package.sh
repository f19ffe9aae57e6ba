#!/usr/bin/env bash
# Packages the VS Code extension (tests/editors/vscode) as a .vsix from the
# repository's own files: its package.json, package-lock.json and
# extension.js, with vscode-languageclient from npm and Microsoft's
# packager, @vscode/vsce, run through npx. Usage: package.sh OUT_DIR; writes
# OUT_DIR/extension (the installed extension) and OUT_DIR/policyc.vsix.
# Installs Debian's nodejs and npm when they are missing; exits 3 (and says
# so) when it cannot, so that a test outside CI can skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "package.sh: node and npm are missing and there is no apt-get to install them with" >&2
    exit 3
  fi
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
rm -rf "$out/extension"
mkdir -p "$out/extension"
cp "$here/../vscode/package.json" "$here/../vscode/package-lock.json" "$here/../vscode/extension.js" \
  "$here/../vscode/.vscodeignore" "$out/extension/"
cd "$out/extension"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
# The extension has no repository or licence file of its own (the project's
# are above it); vsce would otherwise stop to ask.
npx --yes @vscode/vsce@3.9.2 package --allow-missing-repository --skip-license --out "$out/policyc.vsix" >/dev/null
