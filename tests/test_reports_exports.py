"""The report's downloads opened and read back: the PDF with pypdf and pdftoppm, the spreadsheet
with openpyxl, the answers with the csv module. What they contain, not only that they exist."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from audits.models import Area, Item
from audits.results import results_for
from reports.content import report_for
from reports.csv import render_csv
from reports.pdf import render_pdf
from reports.xlsx import render_xlsx
from tests.conftest import make_world
from tests.test_reports_content import (
    DELETED_NOTE,
    SECRET_NOTE,
    STRENGTH_TEXTS,
    answer,
    meeting,
)

SHEETS = [
    "Summary",
    "Areas",
    "Statements",
    "Strengths",
    "Improvements",
    "Training needs",
    "Actions",
    "Participation",
]


def pdf_text(pdf: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    return " ".join(" ".join(pages).split()), pages


def sheet_rows(book, name: str) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def parse_csv(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def anonymous_meeting(db):
    return meeting(anonymous=True)


@pytest.fixture
def named_meeting(db):
    return meeting(anonymous=False)


# --- PDF -----------------------------------------------------------------------------------


def test_it_writes_an_a4_pdf_with_the_school_areas_notes_and_page_numbers(anonymous_meeting):
    pdf = render_pdf(report_for(anonymous_meeting.audit))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text, pages = pdf_text(pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert "Hillside Academy" in flat  # the school's name on every page
        assert f"Page {number} of {len(pages)}" in flat
    for area in Area.objects.filter(instrument=anonymous_meeting.audit.instrument):
        assert area.title in text
    assert STRENGTH_TEXTS[0] in text
    assert "Twilight session on adapting texts for EAL" in text


def test_it_keeps_names_out_of_an_anonymous_pdf(anonymous_meeting):
    text, _ = pdf_text(render_pdf(report_for(anonymous_meeting.audit)))
    for name in ("Teacher 3", "Teacher 4", "Teacher 5"):
        assert name not in text
    assert SECRET_NOTE not in text
    assert DELETED_NOTE not in text
    # The one pair both colleagues agreed to is named; that is their consent.
    assert "Teacher 1 supports Teacher 2" in text


def test_it_names_no_one_in_an_anonymous_pdf_without_agreed_pairs(db):
    world = meeting(anonymous=True, pairs=False)
    text, _ = pdf_text(render_pdf(report_for(world.audit)))
    assert "Teacher" not in text


def test_it_names_people_in_a_named_pdf(named_meeting):
    text, _ = pdf_text(render_pdf(report_for(named_meeting.audit)))
    assert "Who rated what" in text
    for i in range(1, 6):
        assert f"Teacher {i}" in text


def test_it_marks_a_draft_until_the_round_closes(anonymous_meeting):
    text, pages = pdf_text(render_pdf(report_for(anonymous_meeting.audit)))
    assert "DRAFT" in text
    assert all("DRAFT" in page for page in pages)
    anonymous_meeting.audit.close()
    text, _ = pdf_text(render_pdf(report_for(anonymous_meeting.audit)))
    assert "DRAFT" not in text


def test_it_hides_small_groups_in_the_pdf(db):
    world = make_world(anonymous=True, members=5)
    answer(world.audit, world.members[:2])
    text, _ = pdf_text(render_pdf(report_for(world.audit)))
    assert "Fewer than 3 answers" in text
    assert "Rarely 1" not in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_it_renders_to_images_that_are_not_blank(anonymous_meeting, tmp_path: Path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(report_for(anonymous_meeting.audit)))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(str(pdf)).pages)
    from PIL import Image

    first = Image.open(images[0]).convert("L")
    dark = sum(first.histogram()[:128])
    assert dark > 0.005 * first.width * first.height  # text and pictures in greyscale


# --- XLSX ----------------------------------------------------------------------------------


def test_it_writes_one_sheet_per_part_with_bold_headers(anonymous_meeting):
    book = load_workbook(io.BytesIO(render_xlsx(report_for(anonymous_meeting.audit))))
    assert [name for name in book.sheetnames if name in SHEETS] == SHEETS
    assert "Pairs" in book.sheetnames
    assert "By person" not in book.sheetnames  # per-person figures only in named rounds
    for name in SHEETS:
        assert all(cell.font.bold for cell in book[name][1] if cell.value is not None), name


def test_it_writes_the_results_as_numbers(anonymous_meeting):
    results = results_for(anonymous_meeting.audit)
    book = load_workbook(io.BytesIO(render_xlsx(report_for(anonymous_meeting.audit))))
    header, *rows = sheet_rows(book, "Areas")
    by_key = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for area in results["areas"]:
        row = by_key[area["key"]]
        assert isinstance(row["Mean"], float)
        assert row["Mean"] == pytest.approx(area["mean"])
        assert row["People"] == area["people"]
        assert isinstance(row["People"], int)
    header, *rows = sheet_rows(book, "Statements")
    statements = {s["id"]: s for s in results["statements"]}
    for row in rows:
        data = dict(zip(header, row, strict=True))
        expected = statements[data["Statement id"]]
        assert data["Mean"] == pytest.approx(expected["mean"])
        assert data["Ratings"] == expected["n"]
        assert data["Rated 1"] == expected["distribution"]["1"]
    summary = dict(sheet_rows(book, "Summary")[1:])
    assert summary["School"] == "Hillside Academy"
    assert summary["Invited"] == 5 and isinstance(summary["Invited"], int)
    assert summary["Response rate"] == pytest.approx(1.0)
    assert summary["Report"].startswith("DRAFT")


def test_it_lists_notes_needs_and_actions(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    strengths = sheet_rows(book, "Strengths")
    assert strengths[0] == ("Theme", "Area", "People", "Recurring", "Note")  # no Author column
    assert any(STRENGTH_TEXTS[0] in row[4] for row in strengths[1:])
    flat = repr([sheet_rows(book, name) for name in book.sheetnames])
    assert SECRET_NOTE not in flat
    for name in ("Teacher 3", "Teacher 4", "Teacher 5"):
        assert name not in flat
    needs = sheet_rows(book, "Training needs")
    assert [row[0] for row in needs[1:]] == [t["rank"] for t in report["training_needs"]]
    actions = sheet_rows(book, "Actions")
    cpd = next(row for row in actions if row[1] == "Twilight session on adapting texts for EAL")
    assert cpd[3] == "Hannah Head"
    assert cpd[4].year == 2026 and cpd[4].month == 2  # a real date


def test_it_adds_names_to_the_spreadsheet_of_a_named_round(named_meeting):
    book = load_workbook(io.BytesIO(render_xlsx(report_for(named_meeting.audit))))
    assert "By person" in book.sheetnames
    strengths = sheet_rows(book, "Strengths")
    assert strengths[0][-1] == "Author"
    assert {row[-1] for row in strengths[1:]} >= {"Teacher 1", "Teacher 3"}
    participation = dict(sheet_rows(book, "Participation")[1:])
    assert participation["Teacher 2"] == "Yes"


def test_it_keeps_formulas_out_of_the_spreadsheet(anonymous_meeting):
    from board.models import Note

    Note.objects.filter(text__startswith=STRENGTH_TEXTS[0]).update(text='=HYPERLINK("x","y")')
    book = load_workbook(io.BytesIO(render_xlsx(report_for(anonymous_meeting.audit))))
    cells = [c for row in book["Strengths"].iter_rows() for c in row]
    texts = [c for c in cells if c.value == '=HYPERLINK("x","y")']
    assert texts and all(c.data_type == "s" for c in texts)


# --- CSV -----------------------------------------------------------------------------------


def test_it_writes_one_row_per_answer_without_a_member_column_when_anonymous(anonymous_meeting):
    rows = parse_csv(render_csv(anonymous_meeting.audit))
    items = Item.objects.filter(area__instrument=anonymous_meeting.audit.instrument).count()
    assert len(rows) == 5 * items
    assert list(rows[0]) == [
        "round",
        "round_title",
        "area",
        "statement",
        "kind",
        "statement_text",
        "rating",
        "comment",
    ]
    assert {r["rating"] for r in rows} <= {"", "1", "2", "3", "4"}
    assert "" in {r["rating"] for r in rows}  # not applicable is an empty rating
    body = render_csv(anonymous_meeting.audit).decode("utf-8-sig")
    for name in ("Teacher", "teacher1"):
        assert name not in body


def test_it_orders_anonymous_rows_so_order_says_nothing_about_who(anonymous_meeting):
    rows = parse_csv(render_csv(anonymous_meeting.audit))
    order = {
        i.id: n
        for n, i in enumerate(
            Item.objects.filter(area__instrument=anonymous_meeting.audit.instrument)
        )
    }
    keys = [
        (order[int(r["statement"])], r["rating"] == "", int(r["rating"] or 0), r["comment"])
        for r in rows
    ]
    assert keys == sorted(keys)


def test_it_names_members_in_a_named_csv(named_meeting):
    rows = parse_csv(render_csv(named_meeting.audit))
    assert "member_name" in rows[0]
    assert {r["member_name"] for r in rows} == {f"Teacher {i}" for i in range(1, 6)}
    assert {int(r["member"]) for r in rows} == {m.id for m in named_meeting.members}


def test_it_exports_only_submitted_answers(db):
    world = make_world(anonymous=False, members=4)
    answer(world.audit, world.members[:3])
    answer(world.audit, world.members[3:], submit=False)
    rows = parse_csv(render_csv(world.audit))
    assert "Teacher 4" not in {r["member_name"] for r in rows}


def test_it_leaves_out_statements_too_few_people_rated_when_anonymous(db):
    world = make_world(anonymous=True, members=5)
    answer(world.audit, world.members[:2])
    assert parse_csv(render_csv(world.audit)) == []
    answer(world.audit, world.members[2:3])
    assert parse_csv(render_csv(world.audit))


def test_it_defuses_comments_that_look_like_formulas(db):
    world = make_world(anonymous=False, members=3)
    answer(world.audit, world.members, comment="=1+1")
    rows = parse_csv(render_csv(world.audit))
    assert {r["comment"] for r in rows} == {"'=1+1"}
