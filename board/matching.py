"""Matching areas for improvement with colleagues' strengths, with consent on both sides.

Suggestions are computed by analysis.matching and kept as Match rows so people can answer them.
A suggestion nobody has been asked about yet is replaced freely by the next computation; once
asked, it stays. In anonymous rounds the mentor's name appears only when both have said yes.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import transaction

from analysis.matching import suggest_matches
from analysis.types import NoteIn
from board.events import MatchesUpdated, record
from board.models import Board, Consent, Match, MatchStatus, Note, Phase
from board.notes import BoardError
from board.themes import area_anchors, area_ratings, board_notes, compute_themes
from board.visibility import Viewer


def _inputs(notes: list[Note], chart: str) -> list[NoteIn]:
    # Only members take part in pairings (a leader's own notes are not matched).
    return [
        NoteIn(n.id, n.chart, n.text, n.author_member_id, n.area or None)
        for n in notes
        if n.chart == chart and n.author_member_id
    ]


@transaction.atomic
def refresh_matches(board: Board) -> list[Match]:
    """Recompute suggestions and return every match of the board."""
    notes = board_notes(board)
    existing = {(m.improvement_note_id, m.mentor_id): m for m in board.matches.all()}
    cap = getattr(settings, "MATCH_MAX_PER_MENTOR", 2)
    # People already asked keep their place: their needs are settled, and a mentor's earlier
    # pairings count against the limit of people they are asked to support.
    live = [m for m in existing.values() if m.mentor_consent and m.status != "declined"]
    settled = {m.improvement_note_id for m in live}
    load = Counter(m.mentor_id for m in live)
    suggestions = []
    if board.phase != Phase.CLOSED:
        needs = [n for n in _inputs(notes, "improvement") if n.id not in settled]
        offers = [n for n in _inputs(notes, "strength") if load[n.author] < cap]
        suggestions = [
            s
            for s in suggest_matches(
                needs,
                offers,
                compute_themes(board, notes),
                area_ratings(board.audit),
                cap,
                areas=area_anchors(board.audit.instrument_id),
            )
            if load[s.mentor] < cap
        ]
    wanted = {(s.improvement_note, s.mentor): s for s in suggestions}
    untouched = [
        m.pk
        for key, m in existing.items()
        if key not in wanted and not m.mentor_consent and not m.learner_consent
    ]
    if board.phase != Phase.CLOSED:
        Match.objects.filter(pk__in=untouched).delete()
    Match.objects.bulk_create(
        [
            Match(
                board=board,
                improvement_note_id=s.improvement_note,
                strength_note_id=s.strength_note,
                mentor_id=s.mentor,
                score=s.score,
                reason=s.reason[:200],
            )
            for key, s in wanted.items()
            if key not in existing
        ]
    )
    return list(board.matches.select_related("mentor", "improvement_note"))


def _learner_key(match: Match) -> str:
    return f"m{match.improvement_note.author_member_id}"


def match_out(board: Board, viewer: Viewer, match: Match) -> dict:
    """A match as this viewer may see it (API.md): `mentor` only once both have agreed, or at
    once in a named round; `you` tells a participant their own part and answer."""
    out = {
        "id": match.id,
        "improvement_note": match.improvement_note_id,
        "strength_note": match.strength_note_id,
        "score": match.score,
        "status": match.status,
        "reason": match.reason,
    }
    if not board.audit.anonymous or match.status == MatchStatus.ACCEPTED:
        out["mentor"] = {"id": match.mentor_id, "name": match.mentor.name}
    if viewer.author_key == f"m{match.mentor_id}":
        out["you"] = {"role": "mentor", "consent": match.mentor_consent or None}
    elif viewer.author_key == _learner_key(match):
        out["you"] = {"role": "learner", "consent": match.learner_consent or None}
    return out


def ask(board: Board, viewer: Viewer, match: Match) -> Match:
    """The facilitator asks both people, privately on their phones."""
    if not viewer.facilitator:
        raise BoardError(403, "Only the facilitator asks people to pair up.")
    for field in ("mentor_consent", "learner_consent"):
        if not getattr(match, field):
            setattr(match, field, Consent.ASKED)
    with transaction.atomic():
        match.save(update_fields=["mentor_consent", "learner_consent"])
        record(board, MatchesUpdated(), named=not board.audit.anonymous)
    return match


def answer(board: Board, viewer: Viewer, match: Match, accept: bool) -> Match:
    """A participant says yes or no to their own part of a match."""
    value = Consent.YES if accept else Consent.NO
    if viewer.author_key == f"m{match.mentor_id}":
        match.mentor_consent = value
    elif viewer.author_key == _learner_key(match):
        match.learner_consent = value
    else:
        raise BoardError(404, "Not found.")
    with transaction.atomic():
        match.save(update_fields=["mentor_consent", "learner_consent"])
        record(board, MatchesUpdated(), named=not board.audit.anonymous)
    return match
