"""Share cards: the 1200×630 picture a link shows on Facebook and in messaging apps (``og:image``).

Drawn at build time with Pillow in the municipality's colour (``primary_color`` in ``site.yaml``,
else ``--brand`` in the theme's stylesheet) on the theme's background (``--bg``), with the theme's
fonts (``fonts/``), so the same content gives the same bytes and nothing is fetched from anywhere.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
_MARGIN = 80


def colours(variables: dict[str, str], primary: str | None = None) -> tuple[str, str]:
    """(background, text) for the card: the municipality's primary colour (``site.yaml``), else the
    theme's brand colour, and the theme's page background (``variables``: the stylesheet's colours)."""
    return primary or variables.get("brand", "#0b4f8a"), variables.get("bg", "#ffffff")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _blend(background: str, ink: str) -> list[int]:
    """The 256 colours from ``background`` (0) to ``ink`` (255), as a flat RGB palette."""
    bg, fg = ImageColor.getrgb(background), ImageColor.getrgb(ink)
    return [round(b + (f - b) * level / 255) for level in range(256) for b, f in zip(bg[:3], fg[:3], strict=True)]


def card(title: str, subtitle: str, footer: str, fonts: Path, colours: tuple[str, str]) -> bytes:
    """A PNG: ``title`` large (wrapped, shrunk to fit), ``subtitle`` below it, ``footer`` at the bottom.

    The card has two colours and the smoothed edges between them, so it is drawn as one grey
    level per pixel (0 background, 255 ink) and written as a palette PNG of their 256 blends:
    the same picture in half the bytes, encoded in a fifth of the time of an RGB one.
    """
    background, ink = colours
    BG, INK = 0, 255
    img = Image.new("L", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(img)
    bold, regular = fonts / "DejaVuSans-Bold.ttf", fonts / "DejaVuSans.ttf"
    width = WIDTH - 2 * _MARGIN
    for size in (84, 72, 60, 50, 42):
        big = ImageFont.truetype(str(bold), size)
        lines = _wrap(draw, title, big, width)
        if len(lines) <= 3 and all(draw.textlength(line, font=big) <= width for line in lines):
            break
    y = 150
    for line in lines[:3]:
        draw.text((_MARGIN, y), line, font=big, fill=INK)
        y += int(size * 1.2)
    small = ImageFont.truetype(str(regular), 40)
    for line in _wrap(draw, subtitle, small, width)[:2]:
        y += 10
        draw.text((_MARGIN, y), line, font=small, fill=INK)
        y += 48
    draw.rectangle((0, HEIGHT - 120, WIDTH, HEIGHT), fill=INK)
    draw.text((_MARGIN, HEIGHT - 88), footer, font=ImageFont.truetype(str(bold), 40), fill=BG)
    card = Image.frombytes("P", img.size, img.tobytes())
    card.putpalette(_blend(background, ink))
    out = io.BytesIO()
    card.save(out, format="PNG")  # optimize=True: 4× the time for 5 % smaller (issue #15)
    return out.getvalue()
