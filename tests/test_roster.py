"""Adding team members from pasted lines or a CSV file: formats, per-line errors, and nothing
half-imported through the team page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Member
from accounts.roster import MAX_MEMBERS, RosterEntry, parse_csv, parse_pasted


def entries(result) -> list[tuple[str, str]]:
    good, errors = result
    assert errors == [], errors
    return [(e.name, e.email) for e in good]


def errors_of(result) -> list[tuple[int, str]]:
    return [(e.line, e.msg) for e in result[1]]


# --- pasted lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Sam Patel <S.Patel@School.org>", ("Sam Patel", "s.patel@school.org")),
        ('"Patel, Sam" <sam@school.org>', ("Patel, Sam", "sam@school.org")),
        ("Sam Patel<sam@school.org>", ("Sam Patel", "sam@school.org")),
        ("Sam Patel, sam@school.org", ("Sam Patel", "sam@school.org")),
        ("Sam Patel ,  sam@school.org ", ("Sam Patel", "sam@school.org")),
        ("Sam Patel; sam@school.org", ("Sam Patel", "sam@school.org")),
        ("Sam Patel\tsam@school.org", ("Sam Patel", "sam@school.org")),
        ("Sam\tPatel\tsam@school.org", ("Sam Patel", "sam@school.org")),
        ("Sam Patel sam@school.org", ("Sam Patel", "sam@school.org")),
        ("Sam   Patel", ("Sam Patel", "")),
        ("Zoë O'Brien-Łukasz", ("Zoë O'Brien-Łukasz", "")),
        ("  Sam Patel <>  ", ("Sam Patel", "")),
    ],
)
def test_it_reads_each_pasted_format(line, expected):
    assert entries(parse_pasted(line)) == [expected]


def test_it_reads_a_pasted_list_and_skips_blank_lines():
    text = "Sam Patel <sam@school.org>\n\n   \r\nJo Bloggs, jo@school.org\r\nAnn Lee\n"
    assert entries(parse_pasted(text)) == [
        ("Sam Patel", "sam@school.org"),
        ("Jo Bloggs", "jo@school.org"),
        ("Ann Lee", ""),
    ]


def test_it_reports_every_bad_line_by_its_number():
    text = "\n".join(
        [
            "Sam Patel <sam@school.org>",
            "",
            "Jo Bloggs <jo@school>",
            "<nobody@school.org>",
            "Ann Lee, ann@",
            "Sam Again <SAM@school.org>",
            "x" * 201,
        ]
    )
    good, errors = parse_pasted(text)
    assert [e.name for e in good] == ["Sam Patel"]
    got = errors_of((good, errors))
    assert [line for line, _ in got] == [3, 4, 5, 6, 7]
    assert "jo@school" in got[0][1]
    assert "name" in got[1][1].lower()
    assert "ann@" in got[2][1]
    assert "line 1" in got[3][1]  # the duplicate names the line it repeats
    assert "200" in got[4][1]


def test_it_allows_repeated_names_without_emails():
    assert entries(parse_pasted("Ann Lee\nAnn Lee")) == [("Ann Lee", ""), ("Ann Lee", "")]


def test_it_refuses_a_name_with_control_characters():
    assert errors_of(parse_pasted("Sam\x00Patel")) != []
    assert errors_of(parse_pasted("Sam \x1b[31mPatel")) != []


def test_it_limits_one_import_to_max_members():
    text = "\n".join(f"Person {i}" for i in range(MAX_MEMBERS + 1))
    good, errors = parse_pasted(text)
    assert errors and str(MAX_MEMBERS) in errors[-1].msg


def test_it_accepts_exactly_max_members():
    text = "\n".join(f"Person {i}" for i in range(MAX_MEMBERS))
    assert len(entries(parse_pasted(text))) == MAX_MEMBERS


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, row",
    [
        ("name,email", "Sam Patel,sam@school.org"),
        ("Name,Email", "Sam Patel,sam@school.org"),
        (" Full Name , E-mail ", "Sam Patel,sam@school.org"),
        ("Teacher,Email Address,Department", "Sam Patel,sam@school.org,Science"),
        ("First name,Last name,Email", "Sam,Patel,sam@school.org"),
        ("Forename,Surname,e-mail", "Sam,Patel,sam@school.org"),
        ("email,name", "sam@school.org,Sam Patel"),
        ('"Name","Email"', '"Sam Patel","SAM@School.org"'),
    ],
)
def test_it_reads_csv_header_variants(header, row):
    data = f"{header}\r\n{row}\r\n".encode()
    assert entries(parse_csv(data)) == [("Sam Patel", "sam@school.org")]


def test_it_reads_a_csv_without_an_email_column():
    assert entries(parse_csv(b"Name\nSam Patel\nJo Bloggs\n")) == [
        ("Sam Patel", ""),
        ("Jo Bloggs", ""),
    ]


def test_it_reads_a_csv_saved_with_a_byte_order_mark():
    data = "\ufeffName,Email\nZoë Brown,zoe@school.org\n".encode()
    assert entries(parse_csv(data)) == [("Zoë Brown", "zoe@school.org")]


def test_it_reads_quoted_commas_and_line_breaks():
    data = b'Name,Email\n"Patel, Sam",sam@school.org\n"Jo\nBloggs",jo@school.org\n'
    assert entries(parse_csv(data)) == [
        ("Patel, Sam", "sam@school.org"),
        ("Jo Bloggs", "jo@school.org"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        "Name,Email\nJosé Núñez,jose@school.org\n".encode("latin-1"),
        "Name,Email\nSam,sam@school.org\n".encode("utf-16"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_it_explains_a_file_that_is_not_utf8(data):
    good, errors = parse_csv(data)
    assert good == []
    assert len(errors) == 1
    assert "UTF-8" in errors[0].msg


@pytest.mark.parametrize("data", [b"", b"\n\n", b"Email\nsam@school.org\n", b"Dept,Room\nx,y"])
def test_it_asks_for_a_name_column(data):
    good, errors = parse_csv(data)
    assert good == []
    assert errors[0].line == 1
    assert "name" in errors[0].msg


def test_it_reports_csv_errors_by_the_line_in_the_file():
    data = (
        b"Name,Email\n"  # 1
        b"Sam Patel,sam@school.org\n"  # 2
        b"\n"  # 3: blank, skipped
        b",\n"  # 4: empty row, skipped
        b'"Jo\nBloggs",jo@school\n'  # 5-6: a bad e-mail in a two-line record
        b"Ann Lee,SAM@school.org\n"  # 7: duplicate of line 2
        b",lonely@school.org\n"  # 8: no name
    )
    good, errors = parse_csv(data)
    assert [e.name for e in good] == ["Sam Patel"]
    got = errors_of((good, errors))
    assert [line for line, _ in got] == [5, 7, 8]
    assert "jo@school" in got[0][1]
    assert "line 2" in got[1][1]


def test_it_ignores_rows_with_neither_name_nor_email():
    assert entries(parse_csv(b"Name,Email\n , \nSam,\n")) == [("Sam", "")]


def test_it_refuses_control_characters_in_a_csv_name():
    good, errors = parse_csv(b"Name,Email\nSam\x00Patel,sam@school.org\n")
    assert good == []
    assert errors_of((good, errors))[0][0] == 2


def test_it_refuses_emails_already_in_the_team():
    good, errors = parse_pasted("Sam <SAM@school.org>\nJo <jo@school.org>", {"sam@school.org"})
    assert [e.email for e in good] == ["jo@school.org"]
    assert errors_of((good, errors)) == [(1, "sam@school.org is already in the team.")]
    good, errors = parse_csv(b"Name,Email\nSam,sam@school.org\n", {"sam@school.org"})
    assert errors_of((good, errors)) == [(2, "sam@school.org is already in the team.")]


def test_it_returns_plain_entries():
    good, _ = parse_pasted("Sam <sam@school.org>")
    assert good == [RosterEntry("Sam", "sam@school.org")]


# --- through the team page ------------------------------------------------------------------


@pytest.fixture
def leader_browser(world) -> Client:
    browser = Client()
    browser.force_login(world.leader)
    return browser


def _names(team) -> list[str]:
    return sorted(team.members.current().values_list("name", flat=True))


def test_it_adds_pasted_members_through_the_team_page(world, leader_browser):
    before = _names(world.team)
    r = leader_browser.post(
        f"/teams/{world.team.id}/",
        {"pasted": "Sam Patel <sam@school.org>\nJo Bloggs, jo@school.org"},
    )
    assert r.status_code == 302
    assert sorted([*before, "Sam Patel", "Jo Bloggs"]) == _names(world.team)
    # New members are invited to the open round at once.
    invited = set(world.audit.invitations.active().values_list("member__name", flat=True))
    assert {"Sam Patel", "Jo Bloggs"} <= invited


def test_it_adds_nobody_when_one_pasted_line_is_bad(world, leader_browser):
    before = Member.objects.count()
    r = leader_browser.post(
        f"/teams/{world.team.id}/",
        {"pasted": "Sam Patel <sam@school.org>\nJo Bloggs <jo@>\nAnn Lee"},
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "Nothing was added" in page
    assert "Line 2" in page
    assert "jo@" in page
    assert Member.objects.count() == before
    # What was typed is kept, to fix and send again.
    assert "Ann Lee" in page


def test_it_adds_members_from_an_uploaded_csv(world, leader_browser):
    upload = SimpleUploadedFile(
        "staff.csv", "\ufeffFirst name,Last name,Email\nZoë,Brown,zoe@school.org\n".encode()
    )
    r = leader_browser.post(f"/teams/{world.team.id}/", {"pasted": "", "csv_file": upload})
    assert r.status_code == 302
    assert "Zoë Brown" in _names(world.team)


def test_it_adds_nobody_from_a_csv_with_a_bad_line(world, leader_browser):
    before = Member.objects.count()
    upload = SimpleUploadedFile("staff.csv", b"Name,Email\nSam,sam@school.org\nJo,not-an-email\n")
    r = leader_browser.post(f"/teams/{world.team.id}/", {"csv_file": upload})
    assert r.status_code == 200
    assert "Line 3" in r.content.decode()
    assert Member.objects.count() == before


def test_it_adds_nobody_from_a_csv_in_the_wrong_encoding(world, leader_browser):
    before = Member.objects.count()
    upload = SimpleUploadedFile("staff.csv", "Name\nJosé\n".encode("latin-1"))
    r = leader_browser.post(f"/teams/{world.team.id}/", {"csv_file": upload})
    assert r.status_code == 200
    assert "UTF-8" in r.content.decode()
    assert Member.objects.count() == before


def test_it_does_not_add_the_same_people_twice(world, leader_browser):
    paste = {"pasted": "Sam Patel <sam@school.org>\nJo Bloggs <jo@school.org>"}
    assert leader_browser.post(f"/teams/{world.team.id}/", paste).status_code == 302
    count = Member.objects.count()
    r = leader_browser.post(f"/teams/{world.team.id}/", paste)
    assert r.status_code == 200
    assert "already in the team" in r.content.decode()
    assert Member.objects.count() == count


def test_it_refuses_an_empty_form(world, leader_browser):
    before = Member.objects.count()
    r = leader_browser.post(f"/teams/{world.team.id}/", {"pasted": "  \n "})
    assert r.status_code == 200
    assert Member.objects.count() == before


def test_it_refuses_a_csv_over_512_kib(world, leader_browser):
    big = b"Name\n" + b"x" * (600 * 1024)
    upload = SimpleUploadedFile("big.csv", big)
    before = Member.objects.count()
    r = leader_browser.post(f"/teams/{world.team.id}/", {"csv_file": upload})
    assert r.status_code == 200
    assert "512" in r.content.decode()
    assert Member.objects.count() == before


@pytest.mark.parametrize("who", ["outsider", "other_leader"])
def test_it_hides_another_leaders_team_page(world, who):
    browser = Client()
    browser.force_login(getattr(world, who))
    before = Member.objects.count()
    assert browser.get(f"/teams/{world.team.id}/").status_code == 404
    r = browser.post(f"/teams/{world.team.id}/", {"pasted": "Intruder <i@evil.org>"})
    assert r.status_code == 404
    assert Member.objects.count() == before


def test_it_asks_an_anonymous_visitor_to_sign_in(world):
    r = Client().post(f"/teams/{world.team.id}/", {"pasted": "Intruder"})
    assert r.status_code == 302
    assert "/login/" in r["Location"]
    assert not Member.objects.filter(name="Intruder").exists()


def test_it_refuses_duplicate_emails_through_the_api_too(world, api):
    existing = world.members[0].email
    r = api(world.leader_token).post(
        f"/api/v1/teams/{world.team.id}/members",
        {
            "members": [
                {"name": "New", "email": "new@school.org"},
                {"name": "Old", "email": existing},
            ]
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "members", 1, "email"]
    r = api(world.leader_token).post(
        f"/api/v1/teams/{world.team.id}/members",
        {
            "members": [
                {"name": "A", "email": "a@school.org"},
                {"name": "B", "email": "A@school.org"},
            ]
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "members", 1, "email"]
