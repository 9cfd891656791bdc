#!/usr/bin/env bash
# Re-makes the Neovim screenshots in this folder: Neovim runs in a detached tmux window of
# 110 x 32 with the config shipped in editors/nvim, on a copy of examples/vignette.md; each
# screen is captured with `tmux capture-pane -e` and drawn to PNG by render.py.
#
# Needs nvim (0.11+), tmux, python3 with Pillow (pip install pillow) and the DejaVu fonts
# (Debian: fonts-dejavu-core). Uses target/release/scrubs, or SCRUBS_BIN. Not run by CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${SCRUBS_BIN:-$repo/target/release/scrubs}

problem() {
    echo "make.sh: $*" >&2
    exit 1
}
[[ -x $bin ]] || problem "no scrubs program at $bin. Run \`cargo build --release\` first, or set SCRUBS_BIN."
command -v nvim >/dev/null || problem "nvim is not installed (.ci/nvim.sh installs it)."
command -v tmux >/dev/null || problem "tmux is not installed (Debian: apt-get install tmux)."
python3 -c 'import PIL' 2>/dev/null || problem "Pillow is missing: pip install pillow."

work=$(mktemp -d)
socket="scrubs-screenshots-$$"
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cp "$repo/examples/vignette.md" "$repo/examples/scrubs.toml" "$work/"

screen() { tmux -L "$socket" capture-pane -p -t shot "$@"; }
keys() { tmux -L "$socket" send-keys -t shot "$@"; }

# Waits (up to 30 s) until the screen shows, or with "!" no longer shows, the given text.
wait_for() {
    local negate=false
    if [[ $1 == ! ]]; then
        negate=true
        shift
    fi
    for _ in $(seq 150); do
        if screen | grep -qF -- "$1"; then
            $negate || return 0
        else
            ! $negate || return 0
        fi
        sleep 0.2
    done
    problem "gave up waiting for the screen to $($negate && echo 'lose' || echo 'show'): $1"
}

shot() {
    sleep 0.5 # let Neovim finish drawing
    screen -e >"$work/$1.ansi"
    python3 "$here/render.py" "$work/$1.ansi" "$here/$1.png"
    echo "make.sh: wrote docs/screenshots/$1.png"
}

tmux -L "$socket" -f /dev/null new-session -d -x 110 -y 32 -s shot -c "$work" \
    -e TERM=tmux-256color -e SCRUBS_REPO="$repo" -e SCRUBS_BIN="$bin" -e SCRUBS_SHOT_READY="$work/ready" \
    nvim -u "$here/init.lua" vignette.md
for _ in $(seq 150); do
    [[ -s $work/ready ]] && break
    sleep 0.2
done
[[ -s $work/ready ]] || problem "Neovim showed no diagnostics within 30 s."

# 1. Diagnostics: signs, underlines, virtual text, and the float for line 14 (CTRL-W d).
keys 14G 28\|
keys C-w d
wait_for "scrubs:"
shot nvim-diagnostics

# 2. The code-action menu on the age (gra, Neovim's default mapping).
keys 8G 3\|
wait_for ! "scrubs:"
keys g r a
wait_for "Type number"
shot nvim-code-actions

# Pick the preferred age fix from the menu, then De-identify document.
choice=$(screen | grep -oE '^[0-9]+[:.] .*A man in his 60s' | head -n 1 | grep -oE '^[0-9]+')
[[ -n $choice ]] || problem "the code-action menu has no age fix giving \"A man in his 60s\"."
keys "$choice" Enter
wait_for "A man in his 60s presented"
keys : ScrubsDeidentify Enter
wait_for "[Name A]"
wait_for ! "●"

# 3. The document after De-identify document: every identifier replaced, no diagnostics left.
keys gg
shot nvim-de-identified
keys : q a ! Enter
