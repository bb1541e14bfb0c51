"""Erasing one member's personal data: `flipchart erase-member` and the team page's action."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Member
from audits.models import Invitation, Response
from audits.results import results_for
from audits.rounds import participation
from board.models import Action, Chart, Match, Note
from board.notes import board_for, create_note
from board.visibility import Viewer
from school.erasure import ERASED_NAME, erase_member
from tests import factory

NAME, EMAIL = "Zebedee Quillfeather", "z.quillfeather@example.org"


def world(anonymous: bool):
    """A team of 5 with a round everyone answered; Zebedee wrote notes, is paired with a
    colleague, and a colleague's note and an action mention him by name."""
    school = factory.school("Hillside Academy")
    leader = factory.leader(school, name="Hannah Head")
    team = factory.team(leader, members=4)
    zeb = Member.objects.create(team=team, name=NAME, email=EMAIL)
    audit = factory.audit(team, anonymous=anonymous)
    people = list(team.members.all())
    for n, member in enumerate(people):
        factory.answer_all(audit, member, lambda item, n=n: 1 + (item.id + n) % 4)
    Response.objects.filter(member=zeb).update(support_areas=["scaffolding"])
    zeb_response = Response.objects.get(member=zeb)
    zeb_response.answers.update(comment="As Zebedee I use visualisers")
    board = board_for(audit)
    other = next(m for m in people if m != zeb)

    def note(member, chart, text, client_id):
        viewer = Viewer(audit.id, False, f"m{member.id}")
        return create_note(
            board, viewer, chart=chart, text=text, area="scaffolding", client_id=client_id
        )[0]

    weak = note(zeb, Chart.IMPROVEMENT, "I want to fade scaffolds better", "z1")
    strong = note(other, Chart.STRENGTH, "Ask zebedee quillfeather about scaffolds", "o1")
    match = Match.objects.create(
        board=board, improvement_note=weak, strength_note=strong, mentor=other, score=0.9
    )
    Action.objects.create(
        board=board, kind="pair", title=f"{NAME} and a colleague", owner=NAME, match=match
    )
    return {"leader": leader, "team": team, "audit": audit, "zeb": zeb, "other": other}


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def test_it_keeps_anonymous_results_unchanged(db):
    w = world(anonymous=True)
    token = factory.invitation(w["audit"], w["zeb"]).token
    before = results_for(w["audit"])
    report = erase_member(w["zeb"])
    assert results_for(w["audit"]) == before
    assert report.responses_kept_anonymous == 1 and report.responses_deleted == 0
    assert Invitation.objects.by_token(token) is None
    assert not Invitation.objects.filter(member=w["zeb"]).exists()
    # The answers now belong to a placeholder that is linked to nothing else.
    response = Response.objects.get(audit=w["audit"], support_areas=["scaffolding"])
    assert response.member_id != w["zeb"].id
    assert response.member.name == ERASED_NAME and response.member.removed is not None
    assert not response.answers.exclude(comment="").exists()
    assert participation(w["audit"]) == {"invited": 4, "responded": 4}


def test_it_keeps_anonymous_notes_but_not_their_author(db):
    w = world(anonymous=True)
    erase_member(w["zeb"])
    note = Note.objects.get(client_id="z1")
    assert note.text == "I want to fade scaffolds better"
    assert note.author_member_id != w["zeb"].id
    assert note.author_member.name == ERASED_NAME
    assert not Match.objects.exists()


def test_it_deletes_answers_and_notes_in_named_rounds(db):
    w = world(anonymous=False)
    before = results_for(w["audit"])["responses"]
    report = erase_member(w["zeb"])
    assert report.responses_deleted == 1 and report.notes_deleted == 1
    assert results_for(w["audit"])["responses"] == before - 1
    assert not Note.objects.filter(client_id="z1").exists()
    assert not Response.objects.filter(support_areas=["scaffolding"]).exists()


@pytest.mark.parametrize("anonymous", [True, False])
def test_it_leaves_the_name_nowhere_in_the_database(db, anonymous):
    w = world(anonymous=anonymous)
    assert NAME.lower() in dump()
    erase_member(w["zeb"])
    everything = dump()
    assert NAME.lower() not in everything
    assert EMAIL not in everything
    assert "zebedee" not in everything
    w["zeb"].refresh_from_db()
    assert (w["zeb"].name, w["zeb"].email) == (ERASED_NAME, "")
    assert w["zeb"].removed is not None
    assert Note.objects.get(client_id="o1").text == f"Ask {ERASED_NAME} about scaffolds"
    assert Action.objects.get().owner == ERASED_NAME


def test_it_changes_nothing_on_a_dry_run(db):
    w = world(anonymous=True)
    before = dump()
    report = erase_member(w["zeb"], dry_run=True)
    assert report.invitations == 1 and report.mentions_replaced >= 3
    assert dump() == before
    assert w["zeb"].name == NAME


def test_it_erases_from_the_command_line(db, capsys):
    w = world(anonymous=True)
    call_command("erase-member", "--member", str(w["zeb"].id), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert Member.objects.get(pk=w["zeb"].id).name == NAME
    call_command("erase-member", "--member", str(w["zeb"].id))
    assert "Erased member" in capsys.readouterr().out
    assert Member.objects.get(pk=w["zeb"].id).name == ERASED_NAME
    with pytest.raises(CommandError, match="already erased"):
        call_command("erase-member", "--member", str(w["zeb"].id))
    with pytest.raises(CommandError, match="No member"):
        call_command("erase-member", "--member", "987654")


def test_it_lets_the_teams_leader_erase_after_confirming(db):
    w = world(anonymous=True)
    client = Client()
    client.force_login(w["leader"])
    team, zeb = w["team"], w["zeb"]
    url = f"/teams/{team.id}/members/{zeb.id}/erase/"
    assert url in client.get(f"/teams/{team.id}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and NAME in page.content.decode()
    assert Member.objects.get(pk=zeb.id).name == NAME  # the preview changed nothing
    r = client.post(url)
    assert r.status_code == 302 and r.url == f"/teams/{team.id}/"
    assert Member.objects.get(pk=zeb.id).name == ERASED_NAME
    assert client.get(url).status_code == 404


def test_it_hides_the_erase_page_from_other_leaders(db):
    w = world(anonymous=True)
    url = f"/teams/{w['team'].id}/members/{w['zeb'].id}/erase/"
    for outsider in (
        factory.leader(w["team"].school, name="Oscar Outsider"),
        factory.leader(factory.school("Elsewhere High"), role="senior"),
    ):
        client = Client()
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Member.objects.get(pk=w["zeb"].id).name == NAME
    assert Client().post(url).status_code == 302  # to the sign-in page
    assert Member.objects.get(pk=w["zeb"].id).name == NAME
