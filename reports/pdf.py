"""The meeting report as a PDF: the print template rendered by WeasyPrint.

A4, the school's name in every page's header, "Page n of N" in the footer, and a DRAFT
watermark while the round is open. Pictures carry their numbers in words as well, so the report
reads when printed in black and white.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from board.models import Chart
from reports.content import statements_by_area

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
        },
    )
    # Only data: URLs (the watermark): text from notes or titles can never make the server
    # fetch a file or a URL while it renders.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher).write_pdf()
