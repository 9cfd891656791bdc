"""Draws a terminal screen captured with `tmux capture-pane -e -p` as a PNG.

    python3 render.py screen.ansi screen.png

Understands the SGR escapes tmux writes (colours: 16, 256 and 24-bit; bold, italic, underline,
reverse), draws each cell on a fixed grid in DejaVu Sans Mono and wide characters over two cells.
Emoji come from Noto Color Emoji (Debian: fonts-noto-color-emoji) when it is installed; any
other character the fonts do not have is drawn as an empty box, as a terminal without it would.
"""

import os
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

COLUMNS, ROWS = 110, 32
FONT_SIZE = 16
PADDING = 12
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
EMOJI_SIZE = 109  # the one size the colour emoji font is drawn at; scaled down to the cell
# Neovim's default dark colours: what cells without a colour of their own are drawn in.
DEFAULT_FG, DEFAULT_BG = (0xE0, 0xE2, 0xEA), (0x14, 0x16, 0x1B)
BASIC = [
    (0x07, 0x08, 0x0D), (0xFF, 0xC0, 0xB9), (0xB3, 0xF6, 0xC0), (0xFC, 0xE0, 0x94),
    (0xA6, 0xDB, 0xFF), (0xFF, 0xCA, 0xFF), (0x8C, 0xF8, 0xF7), (0xEE, 0xF1, 0xF8),
    (0x4F, 0x52, 0x58), (0xFF, 0xC0, 0xB9), (0xB3, 0xF6, 0xC0), (0xFC, 0xE0, 0x94),
    (0xA6, 0xDB, 0xFF), (0xFF, 0xCA, 0xFF), (0x8C, 0xF8, 0xF7), (0xFF, 0xFF, 0xFF),
]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(\[[0-9;:?]*[A-Za-ln-z]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z])")


def color_256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    gray = 8 + (n - 232) * 10
    return gray, gray, gray


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.italic = self.underline = self.reverse = False

    def copy(self):
        other = Style()
        other.__dict__.update(self.__dict__)
        return other

    def apply(self, params):
        codes = [p for p in re.split(r"[;]", params)] if params else ["0"]
        i = 0
        while i < len(codes):
            code = codes[i]
            head = code.split(":")[0]
            n = int(head) if head.isdigit() else 0
            if n == 0:
                self.reset()
            elif n == 1:
                self.bold = True
            elif n == 3:
                self.italic = True
            elif n == 4:
                # 4:0 is "no underline"; 4, 4:1 .. 4:5 are kinds of underline.
                self.underline = code != "4:0"
            elif n == 7:
                self.reverse = True
            elif n == 22:
                self.bold = False
            elif n == 23:
                self.italic = False
            elif n == 24:
                self.underline = False
            elif n == 27:
                self.reverse = False
            elif 30 <= n <= 37:
                self.fg = BASIC[n - 30]
            elif 90 <= n <= 97:
                self.fg = BASIC[n - 90 + 8]
            elif 40 <= n <= 47:
                self.bg = BASIC[n - 40]
            elif 100 <= n <= 107:
                self.bg = BASIC[n - 100 + 8]
            elif n == 39:
                self.fg = None
            elif n == 49:
                self.bg = None
            elif n in (38, 48, 58):
                color, used = extended_color(codes, i)
                if n == 38:
                    self.fg = color
                elif n == 48:
                    self.bg = color
                i += used
            i += 1


def extended_color(codes, i):
    """The colour of `38;5;n`, `38;2;r;g;b` (or their `:` forms) at codes[i], and how many more
    codes it took."""
    if ":" in codes[i]:
        parts = [int(p) for p in codes[i].split(":")[1:] if p.isdigit()]
        if parts and parts[0] == 5 and len(parts) >= 2:
            return color_256(parts[1]), 0
        if parts and parts[0] == 2 and len(parts) >= 4:
            return tuple(parts[-3:]), 0
        return None, 0
    kind = int(codes[i + 1]) if i + 1 < len(codes) and codes[i + 1].isdigit() else None
    if kind == 5 and i + 2 < len(codes):
        return color_256(int(codes[i + 2])), 2
    if kind == 2 and i + 4 < len(codes):
        return (int(codes[i + 2]), int(codes[i + 3]), int(codes[i + 4])), 4
    return None, 1


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text):
    """Rows of cells (character, style, width) from the captured screen."""
    rows = []
    for line in text.split("\n")[:ROWS]:
        line = OTHER_ESCAPE.sub("", line)
        style, cells, at = Style(), [], 0
        for m in SGR.finditer(line + "\x1b[m"):
            for ch in line[at : m.start()]:
                w = cell_width(ch)
                if w == 0 and cells:
                    cells[-1] = (cells[-1][0] + ch, cells[-1][1], cells[-1][2])
                elif w:
                    cells.append((ch, style.copy(), w))
            style.apply(m.group(1))
            at = m.end()
        rows.append(cells)
    return rows


def main(source, target):
    with open(source, encoding="utf-8", errors="replace") as f:
        rows = parse(f.read())
    fonts = {
        (False, False): ImageFont.truetype(f"{FONT_DIR}/DejaVuSansMono.ttf", FONT_SIZE),
        (True, False): ImageFont.truetype(f"{FONT_DIR}/DejaVuSansMono-Bold.ttf", FONT_SIZE),
        (False, True): ImageFont.truetype(f"{FONT_DIR}/DejaVuSansMono-Oblique.ttf", FONT_SIZE),
        (True, True): ImageFont.truetype(f"{FONT_DIR}/DejaVuSansMono-BoldOblique.ttf", FONT_SIZE),
    }
    fallback = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", FONT_SIZE)
    emoji = ImageFont.truetype(EMOJI_FONT, EMOJI_SIZE) if os.path.exists(EMOJI_FONT) else None
    regular = fonts[(False, False)]
    cw = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    ch_height = ascent + descent + 2
    image = Image.new("RGB", (COLUMNS * cw + 2 * PADDING, ROWS * ch_height + 2 * PADDING), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for y, cells in enumerate(rows):
        x = 0
        top = PADDING + y * ch_height
        for ch, style, width in cells:
            fg, bg = style.fg or DEFAULT_FG, style.bg or DEFAULT_BG
            if style.reverse:
                fg, bg = bg, fg
            left = PADDING + x * cw
            box = (left, top, left + width * cw - 1, top + ch_height - 1)
            draw.rectangle(box, fill=bg)
            font = fonts[(style.bold, style.italic)]
            if ch != " ":
                if has_glyph(font, ch):
                    draw.text((left, top + 1), ch, font=font, fill=fg)
                elif has_glyph(fallback, ch):
                    draw.text((left, top + 1), ch, font=fallback, fill=fg)
                elif emoji and has_glyph(emoji, ch):
                    paste_emoji(image, emoji, ch, box)
                else:
                    draw.rectangle((left + 2, top + 4, left + width * cw - 3, top + ch_height - 5), outline=fg)
            if style.underline:
                draw.line((left, top + ascent + 2, left + width * cw - 1, top + ascent + 2), fill=fg)
            x += width
    image.save(target)


def paste_emoji(image, font, ch, box):
    """Draws `ch` in colour at the font's own size, then scales it into the cells of `box`."""
    glyph = Image.new("RGBA", (EMOJI_SIZE * 2, EMOJI_SIZE * 2))
    ImageDraw.Draw(glyph).text((0, 0), ch, font=font, embedded_color=True)
    glyph = glyph.crop(glyph.getbbox())
    height = box[3] - box[1] - 3
    width = max(1, round(glyph.width * height / glyph.height))
    glyph = glyph.resize((width, height), Image.LANCZOS)
    left = box[0] + (box[2] - box[0] + 1 - width) // 2
    image.paste(glyph, (left, box[1] + 2), glyph)


_tofu = {}


def has_glyph(font, ch):
    """Whether `font` draws `ch` differently from a character no font has (its "missing" box)."""
    if font.path not in _tofu:
        _tofu[font.path] = _drawn(font, "\U0010fffd")
    return _drawn(font, ch[0]) != _tofu[font.path]


def _drawn(font, ch):
    size = font.size * 2
    image = Image.new("RGBA", (size, size))
    ImageDraw.Draw(image).text((0, 0), ch, font=font, fill=(255, 255, 255, 255), embedded_color=True)
    return image.tobytes()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 render.py SCREEN.ansi IMAGE.png")
    main(sys.argv[1], sys.argv[2])
