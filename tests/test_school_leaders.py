"""The cross-department round from the school view, and `flipchart setrole`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Team, TeamKind, User
from audits.instruments import builtin_instrument
from audits.models import Audit
from tests import factory


@pytest.fixture
def school(db):
    s = factory.school("Hillside Academy")
    senior = factory.leader(s, role="senior", name="Sue Senior")
    leaders = [factory.leader(s, name=n) for n in ("Ada Art", "Bea Biology", "Cal Computing")]
    gone = factory.leader(s, name="Dee Departed")
    gone.is_active = False
    gone.save()
    factory.leader(factory.school("Elsewhere High"), name="Olive Other")
    client = Client()
    client.force_login(senior)
    return {"school": s, "senior": senior, "leaders": leaders, "client": client}


def test_it_makes_a_leaders_team_of_the_middle_leaders(school):
    r = school["client"].post("/school/leaders-round/")
    team = Team.objects.get(kind=TeamKind.LEADERS)
    assert r.status_code == 302 and r.url == f"/teams/{team.id}/audits/new/"
    assert team.leader == school["senior"] and team.school == school["school"]
    assert sorted(team.members.values_list("name", "email")) == sorted(
        (u.name, u.email) for u in school["leaders"]
    )


def test_it_reuses_the_team_and_adds_only_new_leaders(school):
    client = school["client"]
    client.post("/school/leaders-round/")
    team = Team.objects.get(kind=TeamKind.LEADERS)
    removed = team.members.get(name="Ada Art")
    client.post(f"/teams/{team.id}/members/{removed.id}/remove/")
    newcomer = factory.leader(school["school"], name="Eve English")
    r = client.post("/school/leaders-round/")
    assert r.url == f"/teams/{team.id}/audits/new/"
    assert Team.objects.filter(kind=TeamKind.LEADERS).count() == 1
    names = sorted(team.members.current().values_list("name", flat=True))
    assert names == ["Bea Biology", "Cal Computing", newcomer.name]


def test_it_lets_the_senior_leader_run_the_round(school):
    client = school["client"]
    create = client.post("/school/leaders-round/").url
    assert client.get(create).status_code == 200
    instrument = builtin_instrument().id
    r = client.post(create, {"title": "Leaders' audit", "instrument": instrument, "anonymous": "1"})
    audit = Audit.objects.get(title="Leaders' audit")
    assert r.status_code == 302 and r.url == f"/audits/{audit.id}/"
    assert audit.invitations.count() == 3
    assert client.get(f"/audits/{audit.id}/").status_code == 200
    middle = Client()
    middle.force_login(school["leaders"][0])
    assert middle.get(f"/audits/{audit.id}/").status_code == 404


def test_it_invites_leaders_added_while_a_round_is_open(school):
    client = school["client"]
    client.post("/school/leaders-round/")
    team = Team.objects.get(kind=TeamKind.LEADERS)
    audit = factory.audit(team)
    factory.leader(school["school"], name="Fay French")
    client.post("/school/leaders-round/")
    assert audit.invitations.count() == 4


def test_it_sets_a_leaders_role(school):
    leader = school["leaders"][0]
    call_command("setrole", email=leader.email.upper(), role="senior")
    leader.refresh_from_db()
    assert leader.is_senior
    call_command("setrole", email=leader.email, role="leader")
    assert not User.objects.get(pk=leader.pk).is_senior
    with pytest.raises(CommandError, match="No leader"):
        call_command("setrole", email="nobody@example.org", role="senior")
