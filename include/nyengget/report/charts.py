"""Charts for the report: PNG bytes a planner can read at a glance, drawn with Pillow.

Two simple chart types (horizontal bars with rupiah labels, and a date axis of closing windows) drawn
straight onto an image: a fraction of a plotting library's cost, which mattered once every pemda gets its
report each week (bench/national.py). Text is DejaVu Sans (`fonts/`, copied from matplotlib 3.11.2's
data; licence in `fonts/LICENSE_DEJAVU.txt`), sizes as at 110 dpi; the layout leaves room for the longest label, so nothing is cut off.
"""

from __future__ import annotations

import io
import math
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image, ImageColor, ImageDraw, ImageFont

from nyengget import fmt

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"  # covers the en dash of programme titles
GREEN, GREY, RED = "#0B6E4F", "#9AA5B1", "#C0392B"
INK, AXIS, GRID = "#1F2933", "#333333", "#E4E7EB"
DPI = 110
WIDTH = round(7.5 * DPI)  # px: the charts are 7.5 inches wide at 110 dpi
PAD = 11  # px around the drawing
TICK = 5  # px: length of a tick mark
PLOT_W = round(0.7 * WIDTH)  # px: the plotting area; the image grows to the left for long labels


def px(points: float) -> int:
    """Points (font sizes, marks) in pixels at the charts' resolution."""
    return round(points * DPI / 72)


@lru_cache(maxsize=16)
def font(points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, px(points))


def text_width(text: str, points: float) -> int:
    return math.ceil(font(points).getlength(text))


def nice_ticks(upper: float, most: int = 7) -> list[int]:
    """Whole-number ticks 0, step, 2·step… ≤ `upper`, step 1, 2, 2.5 or 5 × 10^k, at most `most` of them."""
    for exp in range(0, 16):
        for base in (1, 2, 2.5, 5):
            step = base * 10**exp
            if step == int(step) and upper / step < most:
                return [int(i * step) for i in range(int(upper // step) + 1)]
    return [0]


def date_ticks(first: date, last: date, most: int = 9) -> list[date]:
    """Dates to mark on an axis from `first` to `last`: the 1st and 15th of months, or only the 1st, or
    every third month, whichever gives at most `most`."""
    def marks(days: tuple[int, ...], every: int) -> list[date]:
        out, d = [], date(first.year, first.month, 1)
        while d <= last:
            if (d.month - 1) % every == 0:
                out += [d.replace(day=k) for k in days if first <= d.replace(day=k) <= last]
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out

    for days, every in (((1, 15), 1), ((1,), 1), ((1,), 3), ((1,), 12)):
        ticks = marks(days, every)
        if len(ticks) <= most:
            return ticks
    return [first, last]


@lru_cache(maxsize=1)
def palette() -> Image.Image:
    """White, the charts' colours and 15 steps of each towards white (the edges of antialiased text and
    dots on the white ground): every pixel a chart draws has its colour here."""
    colours = [ImageColor.getrgb(c) for c in (GREEN, GREY, RED, INK, AXIS, GRID)]
    steps = [tuple(round(a / 16 * v + (1 - a / 16) * 255) for v in c) for c in colours for a in range(1, 17)]
    flat = [v for c in [(255, 255, 255), *steps] for v in c]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + [0] * (768 - len(flat)))
    return image


def to_png(image: Image.Image) -> bytes:
    """A palette PNG in the charts' own colours (exact, no dithering): about a third of the bytes of an RGB
    one (the HTML report inlines it) and quicker to encode."""
    buf = io.BytesIO()
    image.quantize(palette=palette(), dither=Image.Dither.NONE).save(buf, format="PNG")
    return buf.getvalue()


@lru_cache(maxsize=8)
def dot(colour: str, radius: int) -> Image.Image:
    """A smooth filled circle (drawn 4× larger and scaled down: Pillow's own circles are not antialiased)."""
    big = Image.new("RGBA", (8 * radius, 8 * radius), (0, 0, 0, 0))
    ImageDraw.Draw(big).ellipse((0, 0, 8 * radius - 1, 8 * radius - 1), fill=colour)
    return big.resize((2 * radius, 2 * radius), Image.LANCZOS)


def rotated(text: str, points: float, degrees: float) -> Image.Image:
    """`text` as a transparent image turned `degrees` anticlockwise (dates under a crowded axis)."""
    f = font(points)
    left, top, right, bottom = f.getbbox(text)
    img = Image.new("RGBA", (right + 2, bottom + 2), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((1, 1), text, font=f, fill=INK)
    return img.rotate(degrees, expand=True, resample=Image.BICUBIC)


def per_group(week: pd.DataFrame, column: str, title: str) -> bytes:
    """Opportunities (bars) and total ceiling (labels, in rupiah) per `column`, the largest on top."""
    programmes = week.drop_duplicates("programme_id")
    counts = week.groupby(week[column].fillna("-")).size().sort_values()
    ceilings = programmes.groupby(programmes[column].fillna("-")).ceiling_idr.sum()
    rows = [(str(key), int(n), ceilings.get(key, 0)) for key, n in reversed(list(counts.items()))]
    labels = [f"  {fmt.rupiah(total)}" if total else "  pagu tidak disebut" for _, _, total in rows]
    xmax = max((n for _, n, _ in rows), default=0) * 1.45 or 1
    row_h, title_h, axis_h = px(29), px(11) * 2, px(10) * 2 + px(10) + TICK + 6
    left = PAD + max((text_width(k, 10) for k, _, _ in rows), default=0) + TICK + 4
    scale = PLOT_W / xmax
    ends = [left + round(n * scale) + text_width(s, 8) for (_, n, _), s in zip(rows, labels, strict=True)]
    top, plot_h = PAD + title_h, row_h * len(rows) + row_h // 2
    img = Image.new("RGB", (_width(left, title, *ends), top + plot_h + axis_h + PAD), "white")
    draw = ImageDraw.Draw(img)
    draw.text((left, PAD + title_h - 8), title, font=font(11), fill=INK, anchor="ls")
    bottom = top + plot_h
    for i, ((key, n, _), label) in enumerate(zip(rows, labels, strict=True)):
        y = top + row_h // 4 + i * row_h + row_h // 2
        draw.rectangle((left, y - round(row_h * 0.4), left + round(n * scale), y + round(row_h * 0.4)), fill=GREEN)
        draw.line((left - TICK, y, left, y), fill=AXIS)
        draw.text((left - TICK - 4, y), key, font=font(10), fill=INK, anchor="rm")
        draw.text((left + round(n * scale), y), label, font=font(8), fill=INK, anchor="lm")
    _x_axis(draw, left, bottom, [(left + round(t * scale), str(t)) for t in nice_ticks(xmax)])
    draw.line((left, top, left, bottom), fill=AXIS)
    draw.text((left + PLOT_W // 2, img.height - PAD), "jumlah peluang (label: total pagu program)", font=font(10),
              fill=INK, anchor="ms")
    return to_png(img)


def _width(left: int, title: str, *ends: int) -> int:
    """The image width: the charts' own, or more for long labels (left of the plot), the title or text
    drawn beyond the plot (`ends`)."""
    return max(WIDTH, left + PLOT_W + PAD, left + text_width(title, 11) + PAD, *(e + PAD for e in ends))


def _x_axis(draw: ImageDraw.ImageDraw, left: int, bottom: int, ticks: list[tuple[int, str]]) -> None:
    """The bottom axis line of the plot from `left`, with tick marks and centred labels."""
    draw.line((left, bottom, left + PLOT_W, bottom), fill=AXIS)
    for x, label in ticks:
        draw.line((x, bottom, x, bottom + TICK), fill=AXIS)
        draw.text((x, bottom + TICK + 3), label, font=font(10), fill=INK, anchor="mt")


def closing_timeline(week: pd.DataFrame, week_start: date, soon_days: int, horizon_days: int = 120) -> bytes:
    """Programmes whose window closes within the horizon, on a date axis (soonest on top); red when
    closing soon (the list's `closing_soon`, within `soon_days`); a dashed line marks the week's Monday."""
    progs = week.dropna(subset=["closes_on"]).drop_duplicates("programme_id")
    progs = progs[(pd.to_datetime(progs.closes_on) - pd.Timestamp(week_start)).dt.days.between(0, horizon_days)]
    if progs.empty:
        img = Image.new("RGB", (WIDTH, px(1.4 * 72)), "white")
        ImageDraw.Draw(img).text((WIDTH // 2, img.height // 2), f"Tidak ada jendela yang ditutup dalam {horizon_days} hari",
                                 font=font(10), fill=INK, anchor="mm")
        return to_png(img)
    progs = progs.sort_values("closes_on")
    points = [(pd.Timestamp(c).date(), t[:55], RED if soon else GREEN)
              for c, t, soon in zip(progs.closes_on, progs.programme_title, progs.closing_soon, strict=True)]
    rows = list(dict.fromkeys(label for _, label, _ in points))  # one row per label, soonest first
    first, last = min(week_start, points[0][0]), max(week_start, points[-1][0])
    margin = max(1, (last - first).days) * 0.05  # days of air at either end
    span = (last - first).days + 2 * margin
    row_h, title_h = px(23), px(11) * 2
    left = PAD + max(text_width(r, 7) for r in rows) + TICK + 4
    title = f"Jendela usulan yang segera ditutup (merah: ≤ {soon_days} hari)"
    ticks = [(d, fmt.tanggal(d)) for d in date_ticks(first - timedelta(days=margin), last + timedelta(days=margin))]
    labels = [rotated(text, 8, 30) for _, text in ticks]
    top, plot_h = PAD + title_h, row_h * len(rows) + row_h // 2
    bottom = top + plot_h
    img = Image.new("RGB", (_width(left, title), bottom + TICK + 3 + max((lb.height for lb in labels), default=0) + PAD), "white")
    draw = ImageDraw.Draw(img)

    def x_of(d: date) -> int:
        return left + round(((d - first).days + margin) / span * PLOT_W)

    for (d, _), label in zip(ticks, labels, strict=True):
        x = x_of(d)
        draw.line((x, top, x, bottom), fill=GRID)
        draw.line((x, bottom, x, bottom + TICK), fill=AXIS)
        img.paste(label, (x - label.width + 4, bottom + TICK + 3), label)
    monday = x_of(week_start)
    for y in range(top, bottom, 8):
        draw.line((monday, y, monday, min(y + 4, bottom)), fill=GREY)
    y_of = {label: top + row_h // 4 + i * row_h + row_h // 2 for i, label in enumerate(rows)}
    for label, y in y_of.items():
        draw.line((left - TICK, y, left, y), fill=AXIS)
        draw.text((left - TICK - 4, y), label, font=font(7), fill=INK, anchor="rm")
    radius = px(3)
    for d, label, colour in points:
        img.paste(dot(colour, radius), (x_of(d) - radius, y_of[label] - radius), dot(colour, radius))
    draw.line((left, top, left, bottom), fill=AXIS)
    draw.line((left, bottom, left + PLOT_W, bottom), fill=AXIS)
    draw.text((left, PAD + title_h - 8), title, font=font(11), fill=INK, anchor="ls")
    return to_png(img)
