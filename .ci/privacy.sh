#!/usr/bin/env bash
# Makes the system tools that tests/privacy.rs needs callable: strace (watches every network and
# file system call scrubs makes) and unshare from util-linux (runs scrubs with no network at all).
# Both come from Debian's packages. Safe to run again: it installs nothing that is already there,
# and runs `apt-get update` only when something is missing.
set -euo pipefail

missing=()
command -v strace >/dev/null || missing+=(strace)
command -v unshare >/dev/null || missing+=(util-linux)

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "privacy.sh: ${missing[*]} missing, and installing needs root. Run: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "privacy.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Installed is not enough: a container may forbid tracing or new namespaces. Say so plainly here,
# so a failing test is not the first sign of it.
if ! strace -f -qq -e trace=%network -o /dev/null true 2>/dev/null; then
    echo "privacy.sh: strace is installed but cannot trace here (ptrace is not permitted)." >&2
    exit 1
fi
if ! unshare -n true 2>/dev/null; then
    echo "privacy.sh: unshare is installed but cannot create a network namespace here (needs root or CAP_SYS_ADMIN)." >&2
    exit 1
fi
echo "privacy.sh: $(strace -V | head -n 1); $(unshare --version): both work"
