#!/bin/sh
# Installs what the throughput benchmark compares policyc with: Debian's
# pandoc. Run it once (as root, or with sudo) before
# `cargo bench --bench throughput`; the benchmark skips the comparison and
# says so when pandoc is missing.
set -eu
if command -v pandoc >/dev/null 2>&1; then
    echo "pandoc is installed: $(pandoc --version | head -n 1)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends pandoc
pandoc --version | head -n 1
