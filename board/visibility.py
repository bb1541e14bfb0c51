"""Who sees which note, and the exact fields they receive — the one place that decides it.

Rules (API.md): before the reveal a participant sees only their own notes; from the reveal on,
every note that is not hidden. The facilitator sees every note (to moderate before the reveal)
but, in an anonymous round, never who wrote it. `author` leaves the server only in named rounds;
`mine` only on the author's own stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from board.models import Note

# The only keys a note may carry out of the server (plus author/mine by the rules above).
PUBLIC_NOTE_KEYS = ("id", "seq", "chart", "text", "area", "theme", "created", "updated")


@dataclass(frozen=True)
class Viewer:
    audit_id: int
    facilitator: bool
    author_key: str  # "m<member id>" or "u<user id>": matches Note.author_key


def note_data(note: Note, *, named: bool) -> dict:
    """A note as the server keeps it in an event (internal keys start with '_')."""
    author = None
    if named:
        if note.author_member_id:
            author = {"id": note.author_member_id, "name": note.author_member.name}
        elif note.author_user_id:
            author = {"id": None, "name": note.author_user.name}
    return {
        "id": note.id,
        "seq": note.seq,
        "chart": note.chart,
        "text": note.text,
        "area": note.area or None,
        "theme": note.theme or None,
        "created": note.created.isoformat(),
        "updated": note.updated.isoformat(),
        "_hidden": note.hidden,
        "_deleted": note.deleted is not None,
        "_author_key": note.author_key,
        "_author": author,
    }


def can_see(viewer: Viewer, data: dict, revealed: bool) -> bool:
    if viewer.facilitator or data["_author_key"] == viewer.author_key:
        return True
    return revealed and not data["_hidden"]


def note_for(viewer: Viewer, data: dict) -> dict:
    """The note as this viewer receives it. Call only when can_see() is true."""
    out = {key: data[key] for key in PUBLIC_NOTE_KEYS}
    mine = data["_author_key"] == viewer.author_key
    if data["_author"] is not None:
        out["author"] = data["_author"]
    if mine:
        out["mine"] = True
    if data["_hidden"] and (mine or viewer.facilitator):
        out["hidden"] = True
    return out


def view_event(viewer: Viewer, event: dict) -> dict | None:
    """The event as this viewer receives it, or None when it is not theirs to see.

    `event` = {seq, type, revealed, note?: note_data(...), board?: {...}}.
    """
    base = {"type": event["type"], "seq": event["seq"]}
    data = event.get("note")
    if data is None:
        if event.get("board") is not None:
            base["board"] = event["board"]
        return base
    visible = can_see(viewer, data, event["revealed"])
    if data["_deleted"] or (not visible and event["type"] == "note.updated" and event["revealed"]):
        # Deleted, or hidden after others saw it: tell those who may hold it to drop it.
        if visible or event["revealed"]:
            return {**base, "type": "note.deleted", "note": {"id": data["id"]}}
        return None
    if not visible:
        return None
    return {**base, "note": note_for(viewer, data)}
