"""The board over HTTP: notes, idempotency, privacy before the reveal, phases, lock."""

from __future__ import annotations

import pytest

from board.models import Event, Note


def _note(
    client, audit_id, chart="strength", text="Great use of mini whiteboards", cid="c1", **extra
):
    return client.post(
        f"/api/v1/audits/{audit_id}/notes",
        {"chart": chart, "text": text, "client_id": cid, **extra},
    )


def test_it_creates_a_note_once_per_client_id(world, api):
    teacher = api(world.tokens[0])
    first = _note(teacher, world.audit.id)
    again = _note(teacher, world.audit.id)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Note.objects.count() == 1
    assert first.json()["seq"] == 1


def test_it_refuses_someone_elses_client_id(world, api):
    _note(api(world.tokens[0]), world.audit.id, cid="same")
    response = _note(api(world.tokens[1]), world.audit.id, cid="same")
    assert response.status_code == 409


def test_it_shows_participants_only_their_own_notes_before_the_reveal(world, api):
    a, b = api(world.tokens[0]), api(world.tokens[1])
    _note(a, world.audit.id, text="A's note", cid="a")
    _note(b, world.audit.id, text="B's note", cid="b")
    seen_by_a = a.get(f"/api/v1/audits/{world.audit.id}/notes?since=0").json()
    assert [n["text"] for n in seen_by_a["notes"]] == ["A's note"]
    assert seen_by_a["notes"][0]["mine"] is True
    leader = api(world.leader_token)
    assert (
        leader.patch(f"/api/v1/audits/{world.audit.id}/board", {"phase": "reveal"}).status_code
        == 200
    )
    after = a.get(f"/api/v1/audits/{world.audit.id}/notes?since=0").json()
    assert sorted(n["text"] for n in after["notes"]) == ["A's note", "B's note"]


def test_it_never_sends_authors_in_an_anonymous_round(world, api):
    _note(api(world.tokens[0]), world.audit.id)
    api(world.leader_token).patch(f"/api/v1/audits/{world.audit.id}/board", {"phase": "reveal"})
    for token in [world.leader_token, world.tokens[1]]:
        body = api(token).get(f"/api/v1/audits/{world.audit.id}/notes?since=0").content.decode()
        assert "author" not in body
        assert world.members[0].name not in body


def test_it_shows_authors_in_a_named_round(named_world, api):
    _note(api(named_world.tokens[0]), named_world.audit.id)
    notes = (
        api(named_world.leader_token)
        .get(f"/api/v1/audits/{named_world.audit.id}/notes")
        .json()["notes"]
    )
    assert notes[0]["author"]["name"] == named_world.members[0].name


@pytest.mark.parametrize("text", ["", "   ", "x" * 281])
def test_it_rejects_empty_or_oversized_notes(world, api, text):
    response = _note(api(world.tokens[0]), world.audit.id, text=text)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "text"]


def test_it_moves_phases_forward_freely_and_back_by_one(world, api):
    leader = api(world.leader_token)
    url = f"/api/v1/audits/{world.audit.id}/board"
    assert leader.patch(url, {"phase": "find"}).json()["phase"] == "find"
    assert leader.patch(url, {"phase": "group"}).status_code == 200
    assert leader.patch(url, {"phase": "write"}).status_code == 409
    assert api(world.tokens[0]).patch(url, {"phase": "agree"}).status_code == 403


def test_it_refuses_edits_while_locked(world, api):
    leader = api(world.leader_token)
    leader.patch(f"/api/v1/audits/{world.audit.id}/board", {"locked": True})
    assert _note(api(world.tokens[0]), world.audit.id).status_code == 409


def test_it_numbers_every_event_without_gaps(world, api):
    teacher = api(world.tokens[0])
    for i in range(3):
        _note(teacher, world.audit.id, cid=f"n{i}")
    note_id = Note.objects.first().id
    teacher.patch(f"/api/v1/audits/{world.audit.id}/notes/{note_id}", {"text": "Edited"})
    teacher.delete(f"/api/v1/audits/{world.audit.id}/notes/{note_id}")
    assert list(Event.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_it_lets_only_the_author_edit_and_hides_notes_from_others(world, api):
    a, b = api(world.tokens[0]), api(world.tokens[1])
    note_id = _note(a, world.audit.id).json()["id"]
    leader = api(world.leader_token)
    leader.patch(f"/api/v1/audits/{world.audit.id}/board", {"phase": "reveal"})
    url = f"/api/v1/audits/{world.audit.id}/notes/{note_id}"
    assert b.patch(url, {"text": "not mine"}).status_code == 403
    assert leader.patch(url, {"hidden": True}).json()["hidden"] is True
    assert b.get(f"/api/v1/audits/{world.audit.id}/notes").json()["notes"] == []
    mine = a.get(f"/api/v1/audits/{world.audit.id}/notes").json()["notes"]
    assert mine[0]["hidden"] is True


def test_it_keeps_boards_of_other_rounds_and_schools_out_of_reach(world, api):
    for token in (world.other_token, world.outsider_token):
        client = api(token)
        assert client.get(f"/api/v1/audits/{world.audit.id}/notes").status_code == 404
        assert _note(client, world.audit.id).status_code == 404


def test_it_suggests_notes_from_my_own_answers(world, api):
    from tests import factory

    member = world.members[0]
    factory.answer_all(
        world.audit,
        member,
        lambda item: (
            4
            if item.area.key == "explicit-instruction"
            else (1 if item.area.key == "language-oracy" else 3)
        ),
    )
    ideas = api(world.tokens[0]).get(f"/api/v1/audits/{world.audit.id}/suggestions").json()
    assert {"chart": "strength", "area": "explicit-instruction"}.items() <= ideas[0].items()
    assert any(i["chart"] == "improvement" and i["area"] == "language-oracy" for i in ideas)
    assert api(world.tokens[1]).get(f"/api/v1/audits/{world.audit.id}/suggestions").json() == []
