"""Themes on the board: grouping after the reveal, and corrections that stick."""

from __future__ import annotations

from board.models import Event

NOTES = [
    (0, "strength", "Mini whiteboards to check everyone understands"),
    (1, "strength", "Show-me boards and cold calling in every lesson"),
    (2, "strength", "Great sentence stems for EAL students"),
    (0, "improvement", "Fading scaffolds so pupils become independent"),
    (1, "improvement", "We rely on writing frames for too long"),
    (2, "improvement", "Using the TA well in lessons"),
]


def _post_all(world, api):
    ids = []
    for i, (who, chart, text) in enumerate(NOTES):
        response = api(world.tokens[who]).post(
            f"/api/v1/audits/{world.audit.id}/notes",
            {"chart": chart, "text": text, "client_id": f"n{i}"},
        )
        ids.append(response.json()["id"])
    return ids


def _themes(client, audit_id):
    return client.get(f"/api/v1/audits/{audit_id}/themes").json()


def _theme_of(themes, note_id):
    for chart in ("strength", "improvement"):
        for theme in themes[chart]:
            if note_id in theme["notes"]:
                return theme
    raise AssertionError(f"note {note_id} is in no theme")


def test_it_answers_409_before_the_reveal(world, api):
    _post_all(world, api)
    response = api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/themes")
    assert response.status_code == 409


def test_it_groups_the_same_practice_together_and_marks_recurring(world, api):
    ids = _post_all(world, api)
    leader = api(world.leader_token)
    leader.patch(f"/api/v1/audits/{world.audit.id}/board", {"phase": "group"})
    themes = _themes(leader, world.audit.id)
    checking = _theme_of(themes, ids[0])
    assert ids[1] in checking["notes"]
    assert checking["recurring"] is True and checking["participants"] == 2
    assert checking["area"] == "checking-understanding"
    assert _theme_of(themes, ids[3])["id"] == _theme_of(themes, ids[4])["id"]
    every = sorted(n for c in themes.values() for t in c for n in t["notes"])
    assert every == sorted(ids)


def test_it_keeps_corrections_through_later_notes_and_resets_them(world, api):
    ids = _post_all(world, api)
    leader, teacher = api(world.leader_token), api(world.tokens[2])
    url = f"/api/v1/audits/{world.audit.id}"
    leader.patch(f"{url}/board", {"phase": "group"})
    target = _theme_of(_themes(leader, world.audit.id), ids[0])["id"]
    assert teacher.patch(f"{url}/notes/{ids[2]}", {"theme": target}).status_code == 200
    teacher.post(f"{url}/notes", {"chart": "strength", "text": "Cold call", "client_id": "late"})
    themes = _themes(leader, world.audit.id)
    assert ids[2] in _theme_of(themes, ids[0])["notes"]
    assert leader.patch(f"{url}/themes/{target}", {"label": "Checking everyone"}).status_code == 200
    assert _theme_of(_themes(leader, world.audit.id), ids[0])["label"] == "Checking everyone"
    assert Event.objects.filter(type="themes.updated").count() == 2
    leader.post(f"{url}/themes-reset")
    themes = _themes(leader, world.audit.id)
    assert ids[2] not in _theme_of(themes, ids[0])["notes"]
    assert _theme_of(themes, ids[0])["label"] != "Checking everyone"


def test_it_splits_and_merges_themes_within_a_chart(world, api):
    ids = _post_all(world, api)
    leader = api(world.leader_token)
    url = f"/api/v1/audits/{world.audit.id}"
    leader.patch(f"{url}/board", {"phase": "group"})
    made = leader.post(f"{url}/themes", {"label": "Whiteboards", "notes": [ids[0]]})
    assert made.status_code == 201
    key = made.json()["id"]
    themes = _themes(leader, world.audit.id)
    assert _theme_of(themes, ids[0])["id"] == key
    other = _theme_of(themes, ids[1])["id"]
    assert leader.post(f"{url}/themes/{key}/merge", {"into": other}).status_code == 200
    assert _theme_of(_themes(leader, world.audit.id), ids[0])["id"] == other
    improvement = _theme_of(_themes(leader, world.audit.id), ids[3])["id"]
    assert leader.post(f"{url}/themes/{other}/merge", {"into": improvement}).status_code == 422


def test_it_lets_participants_correct_only_while_grouping(world, api):
    ids = _post_all(world, api)
    leader, teacher = api(world.leader_token), api(world.tokens[0])
    url = f"/api/v1/audits/{world.audit.id}"
    leader.patch(f"{url}/board", {"phase": "find"})
    key = _theme_of(_themes(leader, world.audit.id), ids[0])["id"]
    assert teacher.patch(f"{url}/themes/{key}", {"label": "Mine now"}).status_code == 403
    assert teacher.post(f"{url}/themes-reset").status_code == 403
