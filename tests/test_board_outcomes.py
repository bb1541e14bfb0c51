"""Find and agree: recurring strengths, training needs, matches with consent, actions."""

from __future__ import annotations

import json

from tests import factory

# (member index, chart, text)
MEETING = [
    (0, "strength", "Mini whiteboards so I can see every answer"),
    (1, "strength", "Cold calling and show-me boards"),
    (2, "strength", "Clear modelling with the visualiser, I do we do you do"),
    (0, "improvement", "Fading scaffolds like writing frames"),
    (1, "improvement", "Pupils depend on sentence starters for too long"),
    (3, "improvement", "Using mini whiteboards to check the quiet ones understand"),
    (2, "improvement", "Planning for EAL vocabulary"),
]


def _meeting(world, api, phase="find"):
    ids = []
    for i, (who, chart, text) in enumerate(MEETING):
        response = api(world.tokens[who]).post(
            f"/api/v1/audits/{world.audit.id}/notes",
            {"chart": chart, "text": text, "client_id": f"m{i}"},
        )
        ids.append(response.json()["id"])
    api(world.leader_token).patch(f"/api/v1/audits/{world.audit.id}/board", {"phase": phase})
    return ids


def test_it_finds_recurring_strengths_and_ranks_training_needs(world, api):
    ids = _meeting(world, api)
    found = api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/find").json()
    celebrated = [t for t in found["recurring_strengths"] if ids[0] in t["notes"]]
    assert celebrated and celebrated[0]["participants"] == 2
    assert found["training_needs"][0]["rank"] == 1
    assert {ids[3], ids[4]} <= set(found["training_needs"][0]["notes"])


def test_it_matches_a_need_with_a_colleagues_strength_never_oneself(world, api):
    ids = _meeting(world, api)
    matches = api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/matches").json()
    by_need = {m["improvement_note"]: m for m in matches}
    checking = by_need[ids[5]]  # member 3 wants to check understanding
    assert checking["strength_note"] in (ids[0], ids[1])
    assert checking["status"] == "suggested"
    assert "mentor" not in checking  # anonymous round: no name before both agree
    authors = {ids[i]: who for i, (who, _, _) in enumerate(MEETING)}
    for match in matches:
        if match["strength_note"]:
            assert authors[match["strength_note"]] != authors[match["improvement_note"]]


def test_it_shows_names_only_when_both_accept(world, api):
    ids = _meeting(world, api)
    leader = api(world.leader_token)
    url = f"/api/v1/audits/{world.audit.id}"
    match = next(m for m in leader.get(f"{url}/matches").json() if m["improvement_note"] == ids[5])
    mentor_index = 0 if match["strength_note"] == ids[0] else 1
    assert leader.post(f"{url}/matches/{match['id']}/ask").json()["status"] == "offered"
    mentor, learner = api(world.tokens[mentor_index]), api(world.tokens[3])
    mine = next(m for m in mentor.get(f"{url}/matches").json() if m["id"] == match["id"])
    assert mine["you"] == {"role": "mentor", "consent": "asked"}
    assert mentor.post(f"{url}/matches/{match['id']}/consent", {"accept": True}).status_code == 200
    half = next(m for m in leader.get(f"{url}/matches").json() if m["id"] == match["id"])
    assert "mentor" not in half
    stranger = api(world.tokens[4])
    assert (
        stranger.post(f"{url}/matches/{match['id']}/consent", {"accept": True}).status_code == 404
    )
    assert learner.post(f"{url}/matches/{match['id']}/consent", {"accept": True}).status_code == 200
    done = next(m for m in leader.get(f"{url}/matches").json() if m["id"] == match["id"])
    assert done["status"] == "accepted"
    assert done["mentor"]["name"] == world.members[mentor_index].name
    pair = leader.post(
        f"{url}/actions",
        {
            "kind": "pair",
            "title": "Observe questioning",
            "owner": done["mentor"]["name"],
            "match": match["id"],
            "due": "2027-01-20",
        },
    )
    assert pair.status_code == 201


def test_it_never_reveals_authors_through_matches_in_anonymous_rounds(world, api):
    _meeting(world, api)
    for token in (world.leader_token, *world.tokens):
        response = api(token).get(f"/api/v1/audits/{world.audit.id}/matches")
        body = response.content.decode()
        assert all("mentor" not in match for match in response.json())
        for member in world.members:
            assert member.name not in body


def test_it_names_mentors_at_once_in_a_named_round(named_world, api):
    _meeting(named_world, api)
    matches = (
        api(named_world.leader_token).get(f"/api/v1/audits/{named_world.audit.id}/matches").json()
    )
    assert matches and all("mentor" in m for m in matches)


def test_it_refuses_a_pair_without_both_consents_and_participants_recording(world, api):
    ids = _meeting(world, api, phase="agree")
    url = f"/api/v1/audits/{world.audit.id}"
    leader = api(world.leader_token)
    matches = leader.get(f"{url}/matches").json()
    response = leader.post(
        f"{url}/actions", {"kind": "pair", "title": "x", "owner": "y", "match": matches[0]["id"]}
    )
    assert response.status_code == 422
    cpd = {
        "kind": "cpd",
        "title": "INSET on fading scaffolds",
        "owner": "Hannah",
        "due": "2027-02-01",
        "theme": "improvement:scaffolding:1",
    }
    assert api(world.tokens[0]).post(f"{url}/actions", cpd).status_code == 403
    assert leader.post(f"{url}/actions", cpd).status_code == 201
    assert ids


def test_it_reviews_the_last_rounds_actions_in_the_next_round(world, api):
    _meeting(world, api, phase="agree")
    leader = api(world.leader_token)
    old = world.audit
    leader.post(
        f"/api/v1/audits/{old.id}/actions",
        {"kind": "cpd", "title": "Coaching on oracy", "owner": "Hannah"},
    )
    new = factory.audit(world.team, title="Spring audit")
    listed = leader.get(f"/api/v1/audits/{new.id}/actions").json()
    assert [a["title"] for a in listed["previous"]] == ["Coaching on oracy"]
    action_id = listed["previous"][0]["id"]
    changed = leader.patch(f"/api/v1/audits/{new.id}/actions/{action_id}", {"status": "done"})
    assert changed.json()["status"] == "done"
    assert json.dumps(listed).count("Coaching on oracy") == 1
