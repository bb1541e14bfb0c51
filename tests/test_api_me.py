"""The participant's side of the API: GET /me and PUT /me/answers, by token and by session."""

from __future__ import annotations

import pytest
from django.test import Client

from audits.models import Answer, Item, ItemKind, Response
from tests import factory


def _items(world) -> tuple[list[Item], Item]:
    statements = factory.statements(world.audit)
    question = Item.objects.filter(
        area__instrument=world.audit.instrument, kind=ItemKind.QUESTION
    ).first()
    return statements, question


def test_it_shows_the_participant_their_round(world, api):
    r = api(world.tokens[1]).get("/api/v1/me")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"member", "audit", "instrument", "answers", "submitted"}
    assert body["member"] == {"id": world.members[1].id, "name": world.members[1].name}
    assert body["audit"]["id"] == world.audit.id
    assert body["audit"]["title"] == world.audit.title
    assert body["audit"]["status"] == "open"
    assert body["audit"]["anonymous"] is True
    assert body["answers"] == []
    assert body["submitted"] is False
    instrument = body["instrument"]
    assert set(instrument) >= {"id", "slug", "title", "version", "scale", "areas"}
    assert [p["value"] for p in instrument["scale"]] == [1, 2, 3, 4]
    assert len(instrument["areas"]) >= 8
    for area in instrument["areas"]:
        assert set(area) >= {"id", "key", "title", "question", "statements"}
        assert set(area["question"]) >= {"id", "text"}
        assert len(area["statements"]) >= 3
    assert "email" not in r.content.decode()


def test_it_saves_a_partial_set_of_answers(world, api):
    statements, question = _items(world)
    participant = api(world.tokens[0])
    body = {
        "answers": [
            {"statement": statements[0].id, "rating": 3, "comment": "Seating plan by need"},
            {"statement": statements[1].id, "rating": None},
            {"statement": question.id, "rating": 2},
        ]
    }
    r = participant.put("/api/v1/me/answers", body)
    assert r.status_code == 200, r.content
    assert r.json()["submitted"] is False
    me = participant.get("/api/v1/me").json()
    assert me["submitted"] is False
    got = {a["statement"]: (a["rating"], a["comment"]) for a in me["answers"]}
    assert got == {
        statements[0].id: (3, "Seating plan by need"),
        statements[1].id: (None, ""),
        question.id: (2, ""),
    }


def test_it_replaces_an_answer_sent_again(world, api):
    statements, _ = _items(world)
    participant = api(world.tokens[0])
    first = {"answers": [{"statement": statements[0].id, "rating": 1, "comment": "first"}]}
    again = {"answers": [{"statement": statements[0].id, "rating": 4, "comment": "second"}]}
    assert participant.put("/api/v1/me/answers", first).status_code == 200
    assert participant.put("/api/v1/me/answers", again).status_code == 200
    assert participant.put("/api/v1/me/answers", again).status_code == 200
    rows = Answer.objects.filter(response__member=world.members[0])
    assert [(a.item_id, a.rating, a.comment) for a in rows] == [(statements[0].id, 4, "second")]
    # Answers not sent again are left alone.
    other = {"answers": [{"statement": statements[1].id, "rating": 2}]}
    assert participant.put("/api/v1/me/answers", other).status_code == 200
    assert Answer.objects.filter(response__member=world.members[0]).count() == 2


def test_it_submits_partial_answers_and_keeps_them_editable(world, api):
    statements, _ = _items(world)
    participant = api(world.tokens[0])
    r = participant.put(
        "/api/v1/me/answers",
        {"answers": [{"statement": statements[0].id, "rating": 2}], "submit": True},
    )
    assert r.status_code == 200
    assert r.json()["submitted"] is True
    response = Response.objects.get(audit=world.audit, member=world.members[0])
    stamp = response.submitted
    assert stamp is not None
    # Editing after submitting: still open, still submitted, the answer changes.
    r = participant.put(
        "/api/v1/me/answers", {"answers": [{"statement": statements[0].id, "rating": 4}]}
    )
    assert r.status_code == 200
    assert r.json()["submitted"] is True
    response.refresh_from_db()
    assert response.submitted == stamp
    me = participant.get("/api/v1/me").json()
    assert me["submitted"] is True
    assert me["answers"] == [{"statement": statements[0].id, "rating": 4, "comment": ""}]


def test_it_submits_with_an_empty_answer_list(world, api):
    r = api(world.tokens[0]).put("/api/v1/me/answers", {"answers": [], "submit": True})
    assert r.status_code == 200
    assert r.json()["submitted"] is True


@pytest.mark.parametrize(
    "answer, loc_tail",
    [
        ({"statement": 10**6, "rating": 2}, "statement"),
        ({"statement": "first", "rating": 2}, "statement"),
        ({"statement": "<first>", "rating": 0}, "rating"),
        ({"statement": "<first>", "rating": 5}, "rating"),
        ({"statement": "<first>", "rating": -1}, "rating"),
        ({"statement": "<first>", "rating": 10**20}, "rating"),
        ({"statement": "<first>", "rating": "high"}, "rating"),
        ({"statement": "<first>", "rating": 2.5}, "rating"),
        ({"statement": "<first>", "rating": True}, "rating"),
        ({"statement": "<first>", "rating": "3"}, "rating"),
        ({"statement": "12", "rating": 3}, "statement"),
        ({"statement": "<first>", "rating": 2, "comment": "x" * 1001}, "comment"),
        ({"statement": "<first>", "rating": 2, "comment": 7}, "comment"),
        ({"statement": "<first>"}, "rating"),
        ({"rating": 2}, "statement"),
    ],
)
def test_it_rejects_a_bad_answer_with_its_location(world, api, answer, loc_tail):
    statements, _ = _items(world)
    good = {"statement": statements[1].id, "rating": 2}
    if answer.get("statement") == "<first>":
        answer = {**answer, "statement": statements[0].id}
    r = api(world.tokens[0]).put("/api/v1/me/answers", {"answers": [good, answer]})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"]
    assert ["body", "answers", 1, loc_tail] in [e["loc"] for e in body["errors"]]
    assert not Answer.objects.filter(response__member=world.members[0]).exists()


def test_it_refuses_a_comment_with_nul_in_it(world, api):
    statements, _ = _items(world)
    body = {"answers": [{"statement": statements[0].id, "rating": 2, "comment": "a\u0000b"}]}
    r = api(world.tokens[0]).put("/api/v1/me/answers", body)
    assert r.status_code == 400
    assert "NUL" in r.json()["detail"]
    assert not Answer.objects.exists()


def test_it_refuses_nul_from_the_questionnaire_form_too(world):
    statements, _ = _items(world)
    first = statements[0]
    area_items = list(first.area.items.all())
    browser = Client()
    browser.get(f"/i/{world.tokens[0]}")
    step = list(first.area.instrument.areas.all()).index(first.area) + 1
    data = {f"rating-{i.id}": "2" for i in area_items}
    data[f"comment-{first.id}"] = "a\x00b"
    r = browser.post(f"/take/{world.audit.id}/{step}/", data)
    assert r.status_code == 200  # the page again, with the error
    assert not Answer.objects.exists()


def test_it_rejects_a_statement_of_another_instrument(world, api):
    from audits.instruments import save_instrument

    spec = {
        "slug": "other",
        "title": "Other",
        "scale": [{"value": 1, "label": "No"}, {"value": 2, "label": "Yes"}],
        "areas": [
            {"key": "a", "title": "A", "question": {"text": "Q"}, "statements": [{"text": "S"}]}
        ],
    }
    other = save_instrument(spec, world.leader.school)
    foreign = Item.objects.filter(area__instrument=other).first()
    r = api(world.tokens[0]).put(
        "/api/v1/me/answers", {"answers": [{"statement": foreign.id, "rating": 1}]}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "answers", 0, "statement"]


def test_it_rejects_the_same_statement_twice_in_one_request(world, api):
    statements, _ = _items(world)
    answers = [{"statement": statements[0].id, "rating": r} for r in (1, 2)]
    r = api(world.tokens[0]).put("/api/v1/me/answers", {"answers": answers})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "answers", 1, "statement"]


def test_it_keeps_a_comment_of_exactly_the_limit(world, api):
    statements, _ = _items(world)
    comment = "é" * 1000
    r = api(world.tokens[0]).put(
        "/api/v1/me/answers",
        {"answers": [{"statement": statements[0].id, "rating": 3, "comment": comment}]},
    )
    assert r.status_code == 200
    assert Answer.objects.get(response__member=world.members[0]).comment == comment


def test_it_uses_a_questions_own_scale(world, api):
    _, question = _items(world)
    values = [p["value"] for p in (question.scale or world.audit.instrument.scale)]
    r = api(world.tokens[0]).put(
        "/api/v1/me/answers", {"answers": [{"statement": question.id, "rating": max(values)}]}
    )
    assert r.status_code == 200
    r = api(world.tokens[0]).put(
        "/api/v1/me/answers",
        {"answers": [{"statement": question.id, "rating": max(values) + 1}]},
    )
    assert r.status_code == 422


def test_it_keeps_each_participant_to_their_own_answers(world, api):
    statements, _ = _items(world)
    api(world.tokens[0]).put(
        "/api/v1/me/answers",
        {"answers": [{"statement": statements[0].id, "rating": 1, "comment": "private"}]},
    )
    other = api(world.tokens[1]).get("/api/v1/me")
    assert other.json()["answers"] == []
    assert "private" not in other.content.decode()


LEADER_ROUTES = [
    ("GET", "/api/v1/teams", None),
    ("POST", "/api/v1/teams", {"name": "Mine now", "kind": "department"}),
    ("GET", "/api/v1/teams/{team}/members", None),
    ("POST", "/api/v1/teams/{team}/members", {"members": [{"name": "Plus one"}]}),
    ("GET", "/api/v1/audits", None),
    ("POST", "/api/v1/audits", {"team": "{team}", "title": "Mine"}),
    ("GET", "/api/v1/audits/{audit}", None),
    ("GET", "/api/v1/audits/{audit}/invitations", None),
    ("POST", "/api/v1/audits/{audit}/invitations/{member}/revoke", None),
    ("GET", "/api/v1/audits/{audit}/participation", None),
    ("GET", "/api/v1/audits/{audit}/results", None),
    ("POST", "/api/v1/audits/{audit}/close", None),
    ("GET", "/api/v1/instruments", None),
]


@pytest.mark.parametrize("method, path, body", LEADER_ROUTES)
def test_it_keeps_participants_out_of_leader_endpoints(world, api, method, path, body):
    if body and body.get("team") == "{team}":
        body = {**body, "team": world.team.id}
    path = path.format(team=world.team.id, audit=world.audit.id, member=world.members[1].id)
    r = api(world.tokens[0]).request(method, path, body)
    assert r.status_code == 403, (method, path, r.status_code)
    assert world.members[1].name not in r.content.decode()
    world.audit.refresh_from_db()
    assert world.audit.status == "open"


def test_it_keeps_a_leader_out_of_me(world, api):
    assert api(world.leader_token).get("/api/v1/me").status_code == 403
    assert api(world.leader_token).put("/api/v1/me/answers", {"answers": []}).status_code == 403


def test_it_asks_for_credentials_on_me(world, api):
    assert api().get("/api/v1/me").status_code == 401
    assert api("not-a-token").get("/api/v1/me").status_code == 401
    assert api().put("/api/v1/me/answers", {"answers": []}).status_code == 401


def test_it_keeps_a_participant_out_of_another_round(world, api):
    other_team = factory.team(world.other_leader, members=2)
    other_audit = factory.audit(other_team)
    client = Client()
    assert client.get(f"/i/{world.tokens[0]}").status_code == 302
    assert client.get(f"/take/{world.audit.id}/").status_code == 200
    assert client.get(f"/take/{other_audit.id}/").status_code == 404
    assert client.get(f"/take/{other_audit.id}/1/").status_code == 404
    assert client.get(f"/take/{other_audit.id}/profile/").status_code == 404
    # By token, /me is only ever the token's own round.
    assert api(world.tokens[0]).get("/api/v1/me").json()["audit"]["id"] == world.audit.id


def test_it_serves_me_to_a_browser_session_with_csrf(world, api):
    statements, _ = _items(world)
    browser = Client(enforce_csrf_checks=True)
    r = browser.get(f"/i/{world.tokens[2]}")
    assert r.status_code == 302
    assert world.tokens[2] not in r["Location"]
    me = browser.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["member"]["id"] == world.members[2].id
    body = {"answers": [{"statement": statements[0].id, "rating": 3}]}
    # A write without the CSRF token is refused...
    refused = browser.put("/api/v1/me/answers", body, content_type="application/json")
    assert refused.status_code == 403
    assert not Answer.objects.filter(response__member=world.members[2]).exists()
    # ...and accepted with it (the questionnaire page sets the cookie).
    assert browser.get(f"/take/{world.audit.id}/1/").status_code == 200
    csrf = browser.cookies["csrftoken"].value
    ok = browser.put(
        "/api/v1/me/answers", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert ok.status_code == 200, ok.content
    assert Answer.objects.filter(response__member=world.members[2]).count() == 1


def test_it_gives_a_browser_session_no_leader_powers(world):
    browser = Client()
    browser.get(f"/i/{world.tokens[0]}")
    assert browser.get(f"/api/v1/audits/{world.audit.id}/results").status_code == 403
    assert browser.get("/api/v1/teams").status_code == 403
