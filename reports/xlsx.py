"""The meeting report as a spreadsheet (openpyxl): one sheet per part of the report.

Figures are real numbers (means, counts, rates), dates real dates, so the CPD lead can sort and
chart them. Suppressed figures are empty cells with "hidden" in the Suppressed column. Names
appear only where the report itself carries them (named rounds, agreed pairs).
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
FORMATS = {"mean": "0.00", "rate": "0%", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


def render_xlsx(report: dict) -> bytes:
    """XLSX bytes of a report made by reports.content.report_for."""
    book = Workbook()
    book.remove(book.active)
    _summary(book, report)
    _areas(book, report)
    _statements(book, report)
    named = not report["audit"]["anonymous"]
    for chart, title in (("strength", "Strengths"), ("improvement", "Improvements")):
        _chart(book, title, report["flipcharts"][chart], named)
    _training_needs(book, report)
    _actions(book, report)
    _pairs(book, report)
    _participation(book, report)
    if report["heat_map"]:
        _by_person(book, report["heat_map"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- Writing cells ------------------------------------------------------------------------


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _sheet(book, title: str, header: list[str], rows, formats: dict[int, str] | None = None):
    """A sheet with a bold, frozen header row; `formats` maps a column index to a number format."""
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in header]
    for row in rows:
        sheet.append([_value(v) for v in row])
        for index, value in enumerate(row):
            widths[index] = max(widths[index], min(60, len(str(value)) if value is not None else 0))
    for cell in (c for row in sheet.iter_rows(min_row=2) for c in row):
        if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
            cell.data_type = "s"
        fmt = (formats or {}).get(cell.column - 1)
        if fmt and cell.value is not None:
            cell.number_format = FORMATS[fmt]
        elif isinstance(cell.value, datetime):
            cell.number_format = FORMATS["datetime"]
        elif isinstance(cell.value, date):
            cell.number_format = FORMATS["date"]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(60, width + 2))
    return sheet


def _yes(flag) -> str:
    return "Yes" if flag else "No"


# --- The sheets ---------------------------------------------------------------------------


def _summary(book, report: dict) -> None:
    audit, part = report["audit"], report["participation"]
    meeting = audit["meeting"] or {}
    notes = {c: sum(len(t["notes"]) for t in report["flipcharts"][c]) for c in report["flipcharts"]}
    rows = [
        ("School", report["school"]["name"]),
        ("Team", report["team"]["name"]),
        ("Round", audit["title"]),
        ("Report", "DRAFT: the round is still open" if report["draft"] else "Final"),
        ("Anonymous", _yes(audit["anonymous"])),
        ("Instrument", f"{report['instrument']['title']} (v{report['instrument']['version']})"),
        ("Started", audit["created"]),
        ("Closes", audit["closes_at"]),
        ("Closed", audit["closed_at"]),
        ("Meeting", meeting.get("starts_at")),
        ("Meeting place", meeting.get("location") or None),
        ("Invited", part["invited"]),
        ("Responded", part["responded"]),
        ("Response rate", part["rate"]),
        ("Submitted responses used", report["results"]["responses"]),
        ("Notes on strengths", notes.get("strength", 0)),
        ("Notes on areas for improvement", notes.get("improvement", 0)),
        ("Generated", report["generated_at"]),
    ]
    sheet = _sheet(book, "Summary", ["Item", "Value"], rows)
    sheet.cell(row=15, column=2).number_format = FORMATS["rate"]


def _scale_header(scale: list[dict]) -> list[str]:
    return [f"{p['value']} {p['label']}" for p in scale]


def _areas(book, report: dict) -> None:
    scale = report["instrument"]["scale"]
    rows = []
    for a in report["results"]["areas"]:
        dist = a.get("distribution") or {}
        rows.append(
            [
                a["key"],
                a["title"],
                a.get("mean"),
                a.get("median"),
                a.get("people"),
                a.get("n"),
                a.get("spread"),
                *[dist.get(str(p["value"])) for p in scale],
                "hidden" if a["suppressed"] else "",
            ]
        )
    header = ["Area key", "Area", "Mean", "Median", "People", "Ratings", "Spread (SD)"]
    _sheet(
        book,
        "Areas",
        header + _scale_header(scale) + ["Suppressed"],
        rows,
        {2: "mean", 3: "mean", 6: "mean"},
    )


def _statements(book, report: dict) -> None:
    values = [p["value"] for p in report["instrument"]["scale"]]
    rows = []
    for s in report["results"]["statements"]:
        dist = s.get("distribution") or {}
        rows.append(
            [
                s["id"],
                s["area"],
                s["kind"],
                s["text"],
                s.get("n"),
                s.get("mean"),
                s.get("median"),
                s.get("not_applicable"),
                *[dist.get(str(v)) for v in values],
                "hidden" if s["suppressed"] else "",
            ]
        )
    header = ["Statement id", "Area key", "Kind", "Text", "Ratings", "Mean", "Median", "N/A"]
    header += [f"Rated {v}" for v in values] + ["Suppressed"]
    _sheet(book, "Statements", header, rows, {5: "mean", 6: "mean"})


def _chart(book, title: str, themes: list[dict], named: bool) -> None:
    header = ["Theme", "Area", "People", "Recurring", "Note"] + (["Author"] if named else [])
    rows = []
    for t in themes:
        for n in t["notes"]:
            row = [
                t["label"],
                t["area_title"] or "",
                t["participants"],
                _yes(t["recurring"]),
                n["text"],
            ]
            if named:
                row.append((n.get("author") or {}).get("name", ""))
            rows.append(row)
    _sheet(book, title, header, rows)


def _training_needs(book, report: dict) -> None:
    rows = [
        [
            t["rank"],
            t["label"],
            t["area_title"] or "",
            t["participants"],
            t["notes"],
            t["area_mean"],
        ]
        for t in report["training_needs"]
    ]
    _sheet(
        book,
        "Training needs",
        ["Rank", "Need", "Area", "People", "Notes", "Area mean"],
        rows,
        {5: "mean"},
    )


def _actions(book, report: dict) -> None:
    rows = [
        [
            a["kind_label"],
            a["title"],
            a["theme_label"] or a["area_title"] or "",
            a["owner"],
            a["due"],
            a["status_label"],
            a["note"],
        ]
        for a in report["actions"]
    ]
    _sheet(book, "Actions", ["Kind", "Action", "For", "Owner", "Due", "Status", "Note"], rows)


def _pairs(book, report: dict) -> None:
    rows = [
        [
            p["need"] or "",
            p["strength"] or "",
            p["area_title"] or "",
            p.get("mentor") or "",
            p.get("learner") or "",
            "Agreed by both" if p["status"] == "accepted" else "Awaiting consent",
            p["due"],
        ]
        for p in report["pairs"]
    ]
    header = ["Area for improvement", "Strength", "Area", "Supporter", "Supported", "Status", "Due"]
    _sheet(book, "Pairs", header, rows)


def _participation(book, report: dict) -> None:
    part = report["participation"]
    rows = [["Invited", part["invited"]], ["Responded", part["responded"]]]
    rows.append(["Response rate", part["rate"]])
    for who in part.get("who") or []:  # named rounds only
        rows.append([who["name"], _yes(who["responded"])])
    sheet = _sheet(book, "Participation", ["Item", "Value"], rows)
    sheet.cell(row=4, column=2).number_format = FORMATS["rate"]


def _by_person(book, heat: dict) -> None:
    rows = [[r["name"], *r["cells"]] for r in heat["rows"]]
    formats = {i: "mean" for i in range(1, len(heat["areas"]) + 1)}
    _sheet(book, "By person", ["Member"] + [a["title"] for a in heat["areas"]], rows, formats)
