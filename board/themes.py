"""Themes, training needs and matches for a board: the ORM side of the `analysis` package.

Everything is computed on request from the notes (and corrections people made), so a later
automatic pass never overwrites a correction: corrections are stored on the notes (`theme`)
and labels on the board (`theme_labels`), and the grouping treats them as pinned.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from analysis.ranking import recurring_strengths, training_needs
from analysis.themes import group_notes
from analysis.types import AreaAnchor, NoteIn
from audits.models import Answer, Area, ItemKind
from board.models import Board, Note

CUSTOM_PREFIX = "custom:"


def area_anchors(instrument_id: int) -> list[AreaAnchor]:
    """The instrument's areas with their own words, the grouping's anchors."""
    areas = Area.objects.filter(instrument_id=instrument_id).prefetch_related("items")
    return [
        AreaAnchor(
            key=area.key,
            title=area.title,
            text=" ".join([area.description, *(item.text for item in area.items.all())]),
            vocabulary=tuple(area.vocabulary or ()),
        )
        for area in areas
    ]


def _author_id(note: Note) -> int:
    # Members are positive, a leader's own notes negative: distinct people, never mixed up.
    return note.author_member_id if note.author_member_id else -(note.author_user_id or 0)


def board_notes(board: Board) -> list[Note]:
    """The notes that take part: written, not deleted, not hidden by the facilitator."""
    return list(Note.objects.live().filter(board=board, hidden=False).order_by("id"))


def compute_themes(board: Board, notes: list[Note] | None = None):
    notes = board_notes(board) if notes is None else notes
    inputs = [NoteIn(n.id, n.chart, n.text, _author_id(n), n.area or None) for n in notes]
    pinned = {n.id: n.theme for n in notes if n.theme}
    return group_notes(inputs, area_anchors(board.audit.instrument_id), pinned=pinned)


def theme_out(theme, labels: dict) -> dict:
    return {
        "id": theme.key,
        "label": labels.get(theme.key) or theme.label,
        "area": theme.area,
        "notes": list(theme.note_ids),
        "participants": theme.participants,
        "recurring": theme.recurring,
    }


def themes_for(board: Board) -> dict:
    """API.md's themes: {strength: [T], improvement: [T]}."""
    out: dict[str, list[dict]] = {"strength": [], "improvement": []}
    for theme in compute_themes(board):
        out[theme.chart].append(theme_out(theme, board.theme_labels or {}))
    return out


def area_ratings(audit) -> dict[int, dict[str, float]]:
    """Member id → area key → mean rating of their submitted statements (for matching)."""
    rows = Answer.objects.filter(
        response__audit=audit,
        response__submitted__isnull=False,
        rating__isnull=False,
        item__kind=ItemKind.STATEMENT,
    ).values_list("response__member_id", "item__area__key", "rating")
    collected: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for member, area, rating in rows:
        collected[member][area].append(rating)
    return {m: {a: statistics.fmean(v) for a, v in areas.items()} for m, areas in collected.items()}


def area_stats(audit) -> dict[str, dict]:
    """Per area, as analysis.ranking expects: the team's mean rating and the distribution of
    answers to its department question ("not yet" first). Suppressed figures stay suppressed."""
    from audits.results import results_for

    results = results_for(audit)
    questions = {s["id"]: s for s in results["statements"] if s["kind"] == ItemKind.QUESTION}
    stats = {}
    for area in results["areas"]:
        question = questions.get(area.get("question_id")) or {}
        stats[area["key"]] = {
            "mean": area.get("mean"),
            "distribution": question.get("distribution") or {},
            "suppressed": area["suppressed"],
        }
    return stats


def find_summary(board: Board) -> dict:
    """What the find phase shows: recurring strengths, and training needs ranked by how many
    people named them and by how weak the audit found their area."""
    themes = compute_themes(board)
    labels = board.theme_labels or {}
    needs = training_needs(themes, area_stats(board.audit))
    by_key = {t.key: t for t in themes}
    return {
        "recurring_strengths": [theme_out(t, labels) for t in recurring_strengths(themes)],
        "training_needs": [
            {
                **theme_out(by_key[n.theme_key], labels),
                "rank": n.rank,
                "mean": n.mean,
                "lowest_share": n.lowest_share,
                "weakness": n.weakness,
            }
            for n in needs
        ],
    }


def new_custom_key(board: Board) -> str:
    used = {k for k in (board.theme_labels or {}) if k.startswith(CUSTOM_PREFIX)}
    used |= set(
        Note.objects.filter(board=board, theme__startswith=CUSTOM_PREFIX).values_list(
            "theme", flat=True
        )
    )
    number = 1
    while f"{CUSTOM_PREFIX}{number}" in used:
        number += 1
    return f"{CUSTOM_PREFIX}{number}"
