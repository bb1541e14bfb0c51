"""The meeting report as a PDF: the print template rendered by WeasyPrint.

A4, the school's name in every page's header, "Page n of N" in the footer, and a DRAFT
watermark while the round is open. Pictures carry their numbers in words as well, so the report
reads when printed in black and white.
"""

from __future__ import annotations

import base64
import struct
import zlib
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from board.models import Chart
from reports.content import statements_by_area

# The heat map's shades, light enough that black figures read on each, in colour or grey.
HEAT_FILLS = ["#eef3fa", "#d7e3f4", "#b5cdea", "#8fb2de"]
LINE_MM, ROW_MM = 178, 5  # the A4 line (210 mm less the margins); one person's row
NAME_CHARS = 22  # the heat map's name column, in characters
MONO_EM_MM = 0.602 * 0.3528  # DejaVu Sans Mono's advance, in mm per point of font size

# Behind every page of a draft, so it never covers the text it marks.
WATERMARK = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842" viewBox="0 0 595 842">'
    '<text x="297" y="470" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" '
    'font-size="150" fill="#e4e4e4" transform="rotate(-35 297 421)">DRAFT</text></svg>'
)


def render_pdf(report: dict) -> bytes:
    """PDF bytes of a report made by reports.content.report_for."""
    html = render_to_string(
        "reports/report_print.html",
        {
            "report": report,
            "scale": report["instrument"]["scale"],
            "statements_by_area": statements_by_area(report),
            "charts": Chart.choices,
            "watermark": WATERMARK,
            "heat_grid": heat_grid(report["heat_map"]) if report["heat_map"] else None,
        },
    )
    # Only data: URLs (the watermark): text from notes or titles can never make the server
    # fetch a file or a URL while it renders.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher).write_pdf()


def heat_grid(heat: dict) -> dict:
    """The named round's heat map as lines of monospace text over one tiny picture.

    Each person is one line (name, then a figure per area in fixed-width cells); the cells'
    shades come from a PNG of one pixel per cell, shared by every line and shifted up by one
    line per row, so the colours always sit under their figures, also across page breaks.
    The same picture as a table of coloured cells at a fraction of the cost: a 60 x 11 table
    is 720 boxes to lay out, this is 60 lines and one image (the PDF of a 60-member round must
    stay under 2 s).
    """
    count = max(1, len(heat["areas"]))
    cell = 6 if count <= 12 else 5  # characters per cell: " 3.0 " and a gap
    size = min(9.0, LINE_MM / ((NAME_CHARS + count * cell) * MONO_EM_MM))
    char_mm = size * MONO_EM_MM
    pixels, rows = [], []
    for index, row in enumerate(heat["rows"]):
        name = row["name"] if len(row["name"]) < NAME_CHARS else row["name"][: NAME_CHARS - 2] + "…"
        figures = "".join(
            ("–" if value is None else f"{value:.1f}").center(cell) for value in row["cells"]
        )
        rows.append({"text": name.ljust(NAME_CHARS) + figures, "shift_mm": index * ROW_MM})
        pixels += [_shade(value) for value in row["cells"]]
    header = "Member".ljust(NAME_CHARS) + "".join(str(n).center(cell) for n in range(1, count + 1))
    image = _png(pixels, count, max(1, len(rows))) if rows else _png([(255, 255, 255)], 1, 1)
    return {
        "header": header,
        "rows": rows,
        "font_pt": f"{size:.2f}",
        "row_mm": ROW_MM,
        "image": "data:image/png;base64," + base64.b64encode(image).decode(),
        "image_x_mm": f"{NAME_CHARS * char_mm:.2f}",
        "image_w_mm": f"{count * cell * char_mm:.2f}",
        "image_h_mm": f"{len(rows) * ROW_MM:.2f}",
    }


def _shade(value: float | None) -> tuple[int, int, int]:
    if value is None:
        return (255, 255, 255)
    hex_colour = HEAT_FILLS[min(3, max(0, round(value) - 1))]  # as audits.charts.heat_class
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _png(pixels: list[tuple[int, int, int]], width: int, height: int) -> bytes:
    """An 8-bit RGB PNG (RFC 2083): signature, header, the rows deflated, end."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes(c for pixel in pixels[y * width : (y + 1) * width] for c in pixel)
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
