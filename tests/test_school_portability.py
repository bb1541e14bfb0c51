"""`flipchart export` / `flipchart import`: a school's whole data, round-trip tested."""

from __future__ import annotations

import copy
import json
import os
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, Member, School, User
from audits.instrument_schema import load_builtin
from audits.instruments import save_instrument
from audits.models import Answer, Instrument, Invitation
from audits.results import results_for
from board.models import Action, Chart, Match
from board.notes import board_for, create_note
from board.visibility import Viewer
from school.portability import TABLES, ImportRefused, export_school, import_school
from tests import factory


def rich_school() -> School:
    """A school with every kind of row: two teams, a custom instrument, anonymous and named
    rounds with answers, boards with notes and events, a match and actions."""
    s = factory.school("Hillside Academy")
    senior = factory.leader(s, role="senior", name="Sue Senior")
    leader = factory.leader(s, name="Hannah Head")
    factory.token_for(leader)
    science = factory.team(leader, members=4, name="Science")
    english = factory.team(senior, members=3, name="English", kind="phase")
    spec = load_builtin()
    spec.update(slug="our-own-audit", title="Our own audit")
    own = save_instrument(spec, s)
    anonymous = factory.audit(science, title="Autumn")
    named = factory.audit(english, anonymous=False, title="Spring")
    from audits.rounds import start_round

    custom = start_round(science, own, "Custom", anonymous=True)
    for audit in (anonymous, named, custom):
        for n, member in enumerate(audit.team.members.all()):
            factory.answer_all(audit, member, lambda item, n=n: 1 + (item.id + n) % 4)
    for audit in (anonymous, named):
        board = board_for(audit)
        first, second = list(audit.team.members.all())[:2]
        weak, _ = create_note(
            board,
            Viewer(audit.id, False, f"m{first.id}"),
            chart=Chart.IMPROVEMENT,
            text="Help with oracy",
            area="language-oracy",
            client_id="a",
        )
        strong, _ = create_note(
            board,
            Viewer(audit.id, False, f"m{second.id}"),
            chart=Chart.STRENGTH,
            text="Talk partners work well",
            area="language-oracy",
            client_id="b",
        )
        create_note(
            board,
            Viewer(audit.id, True, f"u{audit.team.leader_id}"),
            chart=Chart.STRENGTH,
            text="Modelling",
            area=None,
            client_id="c",
        )
        match = Match.objects.create(
            board=board,
            improvement_note=weak,
            strength_note=strong,
            mentor=second,
            score=0.8,
            reason="Same area",
            mentor_consent="yes",
        )
        Action.objects.create(
            board=board, kind="pair", title="Pair up", owner="Hannah", match=match
        )
        Action.objects.create(
            board=board, kind="cpd", title="Oracy INSET", owner="Sue", due=date(2025, 1, 6)
        )
        board.theme_labels = {"improvement:language-oracy:1": "Talk"}
        board.save()
    anonymous.close()
    members = list(science.members.all())
    members[-1].removed = timezone.now()
    members[-1].save()
    return s


def normalise(data: dict) -> dict:
    """The export with ids replaced by positions, so two installations' exports compare."""
    data = copy.deepcopy(data)
    data.pop("exported_at")
    data["school"].pop("id")
    index: dict[str, dict[int, int]] = {"instruments": {}, "items": {}}
    for n, row in enumerate(data["builtin_instruments"]):
        index["instruments"][row["id"]] = -1 - n
        row["id"] = -1 - n
        for item in row["items"]:
            index["items"][item["id"]] = ("builtin", item["area"], item["position"])
            item.pop("id")
    for table in TABLES:
        own = index.setdefault(table.name, {})
        for n, row in enumerate(data[table.name]):
            own[row["id"]] = n
            row["id"] = n
            for ref, target in table.refs.items():
                if row[ref] is not None:
                    row[ref] = index[target][row[ref]]
    return data


def wipe() -> None:
    """An empty installation: every table emptied (no schools, no built-in instrument)."""
    if connection.vendor == "postgresql":
        # Deferred foreign-key checks still pending in the test's transaction would make
        # PostgreSQL refuse to TRUNCATE: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def test_it_round_trips_a_school_through_export_and_import(db):
    school = rich_school()
    before = export_school(school)
    results = [results_for(a) for a in school.teams.get(name="Science").audits.order_by("id")]
    text = json.dumps(before)
    wipe()
    report = import_school(json.loads(text))
    after = export_school(report.school)
    assert normalise(after) == normalise(before)
    assert report.counts["answers"] == len(before["answers"]) > 0
    again = [results_for(a) for a in report.school.teams.get(name="Science").audits.order_by("id")]
    assert [area_figures(r) for r in again] == [area_figures(r) for r in results]


def area_figures(results: dict) -> list[tuple]:
    return [(a["key"], a["n"], a["mean"], a["people"]) for a in results["areas"]]


def test_it_refers_to_the_builtin_instrument_by_slug_and_version(db):
    data = export_school(rich_school())
    assert [(b["slug"], b["version"]) for b in data["builtin_instruments"]] == [
        ("adaptive-teaching", 1)
    ]
    assert [i["slug"] for i in data["instruments"]] == ["our-own-audit"]


def test_it_keeps_logins_and_links_but_not_api_tokens(db):
    school = rich_school()
    invitation = Invitation.objects.filter(audit__team__school=school).first()
    token = invitation.token
    data = export_school(school)
    secrets = set(ApiToken.objects.values_list("digest", flat=True))
    assert "api_tokens" not in data and not any(s in json.dumps(data) for s in secrets)
    wipe()
    import_school(data)
    assert Invitation.objects.by_token(token) is not None
    hannah = User.objects.get(name="Hannah Head")
    r = Client().post("/login/", {"username": hannah.email, "password": factory.PASSWORD})
    assert r.status_code == 302 and r.url == "/"
    assert not ApiToken.objects.exists()


def test_it_refuses_to_import_over_an_existing_school(db):
    school = rich_school()
    data = export_school(school)
    with pytest.raises(ImportRefused) as caught:
        import_school(data)
    assert "already exists" in str(caught.value)
    assert "already have accounts" in str(caught.value)
    assert School.objects.count() == 1


def test_it_refuses_an_existing_leader_even_in_a_new_school(db):
    data = export_school(rich_school())
    wipe()
    factory.leader(factory.school("Another"), name="Squatter")
    User.objects.filter(name="Squatter").update(email=data["users"][0]["email"])
    with pytest.raises(ImportRefused, match="already have accounts"):
        import_school(data)
    assert School.objects.count() == 1


def test_it_changes_nothing_on_a_dry_run(db):
    data = export_school(rich_school())
    wipe()
    report = import_school(data, dry_run=True)
    assert report.counts["answers"] == len(data["answers"])
    assert not School.objects.exists() and not Answer.objects.exists()
    assert not Member.objects.exists() and not Instrument.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "Not a Flipchart school export"),
        (lambda d: d.update(version=99), "newer Flipchart"),
        (lambda d: d.update(version="1"), "whole number"),
        (lambda d: d.pop("answers"), '"answers" is missing'),
        (lambda d: d["members"][0].pop("email"), "members[0]: missing email"),
        (lambda d: d["answers"][0].update(response=999999), "answers[0].response: no responses"),
        (lambda d: d["teams"][0].update(kind="nonsense"), "teams[0].kind"),
        (lambda d: d["audits"][0].update(created="yesterday"), "audits[0].created"),
        (lambda d: d["members"].append(dict(d["members"][0])), "unique in members"),
        (lambda d: d["builtin_instruments"][0].update(version=7), "version 7"),
    ],
)
def test_it_explains_what_is_wrong_with_a_malformed_file(db, change, message):
    data = export_school(rich_school())
    wipe()
    change(data)
    with pytest.raises(ImportRefused) as caught:
        import_school(data)
    assert message in str(caught.value)
    assert not School.objects.exists() and not Member.objects.exists()


def test_it_exports_and_imports_from_the_command_line(db, tmp_path, capsys):
    school = rich_school()
    path = tmp_path / "hillside.json"
    call_command("export", school=school.id, output=str(path))
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert json.loads(path.read_text())["format"] == "flipchart-school-export"
    wipe()
    call_command("import", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out and not School.objects.exists()
    call_command("import", str(path))
    assert "Imported Hillside Academy" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already exists"):
        call_command("import", str(path))


def test_it_reports_unreadable_files_clearly(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="No school with id 424242"):
        call_command("export", school=424242)
