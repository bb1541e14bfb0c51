"""Matching each area for improvement to a colleague's strength on the same practice.

Candidates:
- a strength note on the *same practice* as the improvement note: the same area and sub-theme
  (read from the themes, so people's corrections count), scored 0.5 + 0.5 x similarity;
- a strength note in another theme that is *strongly similar* (shares its technique
  concepts: similarity >= 0.5), scored 0.3 + 0.5 x similarity;
- second, and only for needs still unmatched, audit ratings: a member who rated the need's area
  3.5 or more (mean, 1-4 scale) for a need whose writer rated it 2 or less, scored 0.30-0.40
  with no strength note.
Similarity is 0.8 x the cosine of the two notes' technique concepts + 0.2 x the overlap of their
other words, so among same-theme strengths the one naming the same technique comes first.

Constraints: never the writer themselves, each need gets at most one suggestion, no mentor gets
more than ``max_per_mentor`` needs. Among the allowed suggestions the set with the largest total
score is chosen exactly (min-cost flow, see :mod:`analysis.assignment`); rating suggestions are
chosen after note suggestions, with the mentors' remaining room, so they never displace one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analysis.assignment import max_weight_assignment
from analysis.lexicon import OTHER_AREA, Lexicon, NoteAnalysis, build_lexicon
from analysis.themes import parse_key, place_note
from analysis.types import AreaAnchor, Match, NoteIn, Theme

SAME_THEME_BASE = 0.5
SIMILAR_BASE = 0.3
STRONG_SIMILARITY = 0.5
MIN_SAME_THEME_SIMILARITY = 0.1
RATING_HIGH = 3.5
RATING_LOW = 2.0
RATING_BASE = 0.3
SCALE = 1000  # scores become integers (to 0.001) for the exact assignment


@dataclass(frozen=True, slots=True)
class _Profile:
    note: NoteIn
    practice: tuple[str, int] | None
    area: str | None
    theme_label: str
    concepts: dict[int, float]
    norm: float
    words: frozenset[str]


def suggest_matches(
    improvements: list[NoteIn],
    strengths: list[NoteIn],
    themes: list[Theme],
    ratings: Mapping[int, Mapping[str, float]] | None = None,
    max_per_mentor: int = 2,
    *,
    areas: Sequence[AreaAnchor] | None = None,
) -> list[Match]:
    """Suggest, for each area for improvement, a colleague whose strength matches it.

    ``themes`` are the current themes (from :func:`analysis.themes.group_notes`, with any
    corrections); ``ratings`` maps member id -> area key -> that member's mean rating (1-4);
    ``areas`` are the instrument's areas (default: the built-in instrument). Strengths without
    an author cannot mentor. Returns matches sorted by improvement note id.
    """
    if max_per_mentor <= 0:
        return []
    lexicon = build_lexicon(list(areas or []))
    theme_of = {nid: t for t in themes for nid in t.note_ids}
    needs = {n.id: _profile(n, theme_of.get(n.id), lexicon) for n in sorted(improvements, key=_id)}
    offers = {
        n.id: _profile(n, theme_of.get(n.id), lexicon)
        for n in sorted(strengths, key=_id)
        if n.author is not None
    }
    edges, chosen_note = _note_edges(needs, offers, lexicon)
    pairs = max_weight_assignment(
        ((need, mentor, w) for (need, mentor), (w, _) in edges.items()), max_per_mentor
    )
    matches = []
    load: dict[int, int] = {}
    for need_id, mentor in pairs:
        weight, reason = edges[(need_id, mentor)]
        matches.append(
            Match(
                improvement_note=need_id,  # type: ignore[arg-type]
                strength_note=chosen_note[(need_id, mentor)],
                mentor=mentor,  # type: ignore[arg-type]
                score=round(weight / SCALE, 4),
                reason=reason,
            )
        )
        load[mentor] = load.get(mentor, 0) + 1  # type: ignore[index]
    if ratings:
        matched = {m.improvement_note for m in matches}
        matches.extend(_rating_matches(needs, matched, ratings, load, max_per_mentor))
    return sorted(matches, key=lambda m: m.improvement_note)


def _id(note: NoteIn) -> int:
    return note.id


def _profile(note: NoteIn, theme: Theme | None, lexicon: Lexicon) -> _Profile:
    place = place_note(note, lexicon)
    analysis: NoteAnalysis = place.analysis
    practice: tuple[str, int] | None = None
    area = place.area
    label = ""
    if theme is not None:
        _, theme_area, facet = parse_key(theme.key)
        label = theme.label
        if theme_area is not None:
            practice, area = (theme_area, facet), theme_area
        elif theme.is_other:
            practice, area = None, None
        elif place.area is not None and theme.area in (None, place.area):
            practice = (place.area, place.facet)  # a user's own theme: the note's own practice
            area = theme.area or place.area
    elif place.area is not None:
        practice = (place.area, place.facet)
    concepts = {
        c: w for c, w in analysis.concepts.items() if lexicon.concepts[c].area != OTHER_AREA
    }
    norm = math.sqrt(sum(w * w for w in concepts.values()))
    return _Profile(note, practice, area, label, concepts, norm, analysis.words)


def similarity(a: _Profile, b: _Profile) -> float:
    """0.8 x cosine of technique concepts + 0.2 x Jaccard overlap of the remaining words."""
    cosine = 0.0
    if a.norm and b.norm:
        small, large = (a.concepts, b.concepts)
        if len(small) > len(large):
            small, large = large, small
        dot = 0.0
        for c, w in small.items():
            other = large.get(c)
            if other is not None:
                dot += w * other
        cosine = dot / (a.norm * b.norm)
    shared = len(a.words & b.words)
    union = len(a.words) + len(b.words) - shared
    return 0.8 * cosine + (0.2 * shared / union if union else 0.0)


def _note_edges(
    needs: dict[int, _Profile], offers: dict[int, _Profile], lexicon: Lexicon
) -> tuple[dict[tuple[int, int], tuple[int, str]], dict[tuple[int, int], int | None]]:
    """Best candidate per (need, mentor): integer weight and reason, and the strength note."""
    by_practice: dict[tuple[str, int], list[_Profile]] = {}
    by_concept: dict[int, list[_Profile]] = {}
    for offer in offers.values():
        if offer.practice is not None:
            by_practice.setdefault(offer.practice, []).append(offer)
        for c in offer.concepts:
            by_concept.setdefault(c, []).append(offer)
    edges: dict[tuple[int, int], tuple[int, str]] = {}
    chosen: dict[tuple[int, int], int | None] = {}
    for need in needs.values():
        if need.practice is None:
            continue  # "Other ideas" (or no practice found): nothing to learn from a colleague
        candidates: dict[int, _Profile] = {}
        candidates.update((o.note.id, o) for o in by_practice.get(need.practice, ()))
        for c in need.concepts:
            candidates.update((o.note.id, o) for o in by_concept.get(c, ()))
        for sid in sorted(candidates):
            offer = candidates[sid]
            mentor = offer.note.author
            if mentor is None or mentor == need.note.author:
                continue
            sim = similarity(need, offer)
            # Within a theme, two notes that each name techniques must share something;
            # a note that names none (placed by its tag or by hand) may meet any of the theme.
            related = sim >= MIN_SAME_THEME_SIMILARITY or not (need.norm and offer.norm)
            if offer.practice == need.practice and related:
                score = SAME_THEME_BASE + 0.5 * sim
                reason = f"same theme: {need.theme_label or _practice_label(lexicon, need)}"
            elif sim >= STRONG_SIMILARITY:
                score = SIMILAR_BASE + 0.5 * sim
                reason = f"similar practice: {_shared_label(lexicon, need, offer)}"
            else:
                continue
            weight = round(min(score, 1.0) * SCALE)
            key = (need.note.id, mentor)
            if weight > edges.get(key, (0, ""))[0]:
                edges[key] = (weight, reason)
                chosen[key] = sid
    return edges, chosen


def _rating_matches(
    needs: dict[int, _Profile],
    matched: set[int],
    ratings: Mapping[int, Mapping[str, float]],
    load: dict[int, int],
    max_per_mentor: int,
) -> list[Match]:
    strong: dict[str, list[tuple[int, float]]] = {}
    for member in sorted(ratings):
        for area, value in sorted(ratings[member].items()):
            if value is not None and value >= RATING_HIGH:
                strong.setdefault(area, []).append((member, value))
    edges = []
    for need in needs.values():
        author = need.note.author
        if need.note.id in matched or need.area is None or author is None:
            continue
        own = ratings.get(author, {}).get(need.area)
        if own is None or own > RATING_LOW:
            continue
        for member, value in strong.get(need.area, ()):
            if member == author or load.get(member, 0) >= max_per_mentor:
                continue
            score = RATING_BASE + 0.1 * min(max((value - RATING_HIGH) / 0.5, 0.0), 1.0)
            edges.append((need.note.id, member, round(score * SCALE)))
    weights = {(n, m): w for n, m, w in edges}
    room = {m: max_per_mentor - load.get(m, 0) for _, m, _ in edges}
    return [
        Match(
            improvement_note=need_id,  # type: ignore[arg-type]
            strength_note=None,
            mentor=member,  # type: ignore[arg-type]
            score=round(weights[(need_id, member)] / SCALE, 4),
            reason="rated this area highly",
        )
        for need_id, member in max_weight_assignment(edges, room)
    ]


def _practice_label(lexicon: Lexicon, profile: _Profile) -> str:
    if profile.practice is None:
        return ""
    area, facet = profile.practice
    labels = lexicon.facet_labels.get(area) or [lexicon.titles.get(area, area)]
    return labels[facet - 1] if 1 <= facet <= len(labels) else labels[0]


def _shared_label(lexicon: Lexicon, a: _Profile, b: _Profile) -> str:
    shared = sorted(set(a.concepts) & set(b.concepts), key=lambda c: (-a.concepts[c], c))
    if shared:
        return lexicon.concepts[shared[0]].label
    return _practice_label(lexicon, a)
