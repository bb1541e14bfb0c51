"""Teams and their members through the JSON API (API.md, "Leaders")."""

from __future__ import annotations

import pytest

from accounts.models import Member, Team


def test_it_creates_a_team(world, api):
    leader = api(world.leader_token)
    r = leader.post("/api/v1/teams", {"name": "  Key Stage 2 ", "kind": "phase"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) >= {"id", "name", "kind"}
    assert body["name"] == "Key Stage 2"
    assert body["kind"] == "phase"
    team = Team.objects.get(pk=body["id"])
    assert team.leader == world.leader
    assert team.school == world.leader.school


def test_it_allows_teams_with_the_same_name(world, api):
    leader = api(world.leader_token)
    first = leader.post("/api/v1/teams", {"name": "Science", "kind": "department"})
    second = leader.post("/api/v1/teams", {"name": "Science", "kind": "department"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"kind": "department"}, ["body", "name"]),
        ({"name": "", "kind": "department"}, ["body", "name"]),
        ({"name": "x" * 201, "kind": "department"}, ["body", "name"]),
        ({"name": "Maths", "kind": "faculty"}, ["body", "kind"]),
    ],
)
def test_it_rejects_a_bad_team_with_the_field_named(world, api, body, loc):
    r = api(world.leader_token).post("/api/v1/teams", body)
    assert r.status_code == 422
    assert r.json()["detail"]
    assert loc in [e["loc"] for e in r.json()["errors"]]


def test_it_adds_members_and_answers_201_with_their_shape(world, api):
    leader = api(world.leader_token)
    team_id = leader.post("/api/v1/teams", {"name": "Maths", "kind": "department"}).json()["id"]
    r = leader.post(
        f"/api/v1/teams/{team_id}/members",
        {
            "members": [
                {"name": "Sam  Patel", "email": "S.Patel@School.org"},
                {"name": "Jo Bloggs"},
                {"name": "Ann Lee", "email": None},
            ]
        },
    )
    assert r.status_code == 201, r.content
    rows = r.json()
    assert [set(row) for row in rows] == [{"id", "name", "email"}] * 3
    assert [(row["name"], row["email"]) for row in rows] == [
        ("Sam Patel", "s.patel@school.org"),
        ("Jo Bloggs", ""),
        ("Ann Lee", ""),
    ]
    assert all(isinstance(row["id"], int) for row in rows)
    assert set(Member.objects.filter(team_id=team_id).values_list("id", flat=True)) == {
        row["id"] for row in rows
    }


def test_it_adds_nobody_when_one_email_is_bad(world, api):
    leader = api(world.leader_token)
    before = Member.objects.count()
    members = [{"name": f"Person {i}", "email": f"p{i}@example.org"} for i in range(5)]
    members[3]["email"] = "not-an-email"
    r = leader.post(f"/api/v1/teams/{world.team.id}/members", {"members": members})
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["loc"] == ["body", "members", 3, "email"]
    assert "not-an-email" in body["errors"][0]["msg"]
    assert body["detail"]
    assert Member.objects.count() == before


def test_it_names_every_bad_member(world, api):
    members = [
        {"name": "Good", "email": "good@example.org"},
        {"name": "   ", "email": "blank@example.org"},
        {"name": "Bad", "email": "bad@"},
    ]
    r = api(world.leader_token).post(f"/api/v1/teams/{world.team.id}/members", {"members": members})
    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["errors"]]
    assert ["body", "members", 1, "name"] in locs
    assert ["body", "members", 2, "email"] in locs


def test_it_refuses_an_empty_member_list(world, api):
    r = api(world.leader_token).post(f"/api/v1/teams/{world.team.id}/members", {"members": []})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "members"]


def test_it_invites_new_members_to_the_open_round(world, api):
    leader = api(world.leader_token)
    r = leader.post(
        f"/api/v1/teams/{world.team.id}/members", {"members": [{"name": "Late Joiner"}]}
    )
    assert r.status_code == 201
    new_id = r.json()[0]["id"]
    invitations = leader.get(f"/api/v1/audits/{world.audit.id}/invitations").json()
    assert new_id in [i["member"] for i in invitations]


def test_it_lists_only_the_leaders_own_teams(world, api):
    mine = api(world.leader_token).get("/api/v1/teams")
    assert mine.status_code == 200
    assert [t["id"] for t in mine.json()] == [world.team.id]
    assert mine.json()[0] == {"id": world.team.id, "name": "Science", "kind": "department"}
    assert api(world.outsider_token).get("/api/v1/teams").json() == []
    assert api(world.other_token).get("/api/v1/teams").json() == []


def test_it_lists_current_members(world, api):
    from django.utils import timezone

    gone = world.members[0]
    gone.removed = timezone.now()
    gone.save()
    r = api(world.leader_token).get(f"/api/v1/teams/{world.team.id}/members")
    assert r.status_code == 200
    ids = [m["id"] for m in r.json()]
    assert gone.id not in ids
    assert sorted(ids) == sorted(m.id for m in world.members[1:])


TEAM_ROUTES = [
    ("GET", "/api/v1/teams/{team}/members", None),
    ("POST", "/api/v1/teams/{team}/members", {"members": [{"name": "Intruder"}]}),
]


@pytest.mark.parametrize("method, path, body", TEAM_ROUTES)
@pytest.mark.parametrize("who", ["other_token", "outsider_token"])
def test_it_hides_another_leaders_team_with_404(world, api, method, path, body, who):
    before = Member.objects.count()
    r = api(getattr(world, who)).request(method, path.format(team=world.team.id), body)
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found.", "errors": []}
    assert Member.objects.count() == before


@pytest.mark.parametrize("method, path, body", TEAM_ROUTES)
def test_it_answers_404_for_a_team_that_does_not_exist(world, api, method, path, body):
    r = api(world.leader_token).request(method, path.format(team=10**6), body)
    assert r.status_code == 404


def test_it_uses_another_schools_team_in_no_new_round(world, api):
    r = api(world.other_token).post(
        "/api/v1/audits", {"team": world.team.id, "title": "Sneaky", "anonymous": True}
    )
    assert r.status_code == 404


def test_it_accepts_a_leaders_browser_session_with_csrf_for_writes(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.leader)
    assert browser.get("/api/v1/teams").status_code == 200
    body = {"name": "From the browser", "kind": "phase"}
    refused = browser.post("/api/v1/teams", body, content_type="application/json")
    assert refused.status_code == 403
    assert not Team.objects.filter(name="From the browser").exists()
    browser.get("/")  # the home page's team form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    ok = browser.post(
        "/api/v1/teams", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert ok.status_code == 201
    assert Team.objects.get(name="From the browser").leader == world.leader
