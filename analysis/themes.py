"""Grouping sticky notes into themes, one chart at a time.

Each note is placed on its own, from its text (and the area its writer tagged, if any), so the
result does not depend on the order of the notes or on which other notes are on the board:
1. the lexicon scores the note against every area (technique phrases, the instrument's
   vocabulary, the area's own words);
2. the best area wins if it has enough evidence and beats the "off-topic" evidence (the
   photocopier, parking, biscuits); otherwise the note goes to the chart's "Other ideas";
3. within the area, the sub-theme (facet) with the most evidence wins;
4. a theme's label names its most characteristic technique concept.
Notes the user pinned to a theme stay there; only the rest are grouped automatically.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.lexicon import OTHER_AREA, Lexicon, NoteAnalysis, build_lexicon
from analysis.types import CHARTS, AreaAnchor, Chart, NoteIn, Theme

MIN_AREA_SCORE = 1.0  # less evidence than one leaning word: the note is not about a practice
OTHER_MARGIN = 1.5  # off-topic words must clearly outweigh practice words ("book club at lunch")
OTHER_LABEL = "Other ideas"
MAX_LABEL = 48  # a label must fit a sticky-note column heading


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one note goes automatically: area and facet, or (None, 0) for "Other"."""

    area: str | None
    facet: int
    analysis: NoteAnalysis


def place_note(note: NoteIn, lexicon: Lexicon) -> Placement:
    """The automatic area and sub-theme of one note."""
    result = lexicon.analyse(note.text)
    if note.area in lexicon.facet_labels:
        return Placement(note.area, _best_facet(result, note.area), result)
    if not result.area_scores:
        return Placement(None, 0, result)
    order = {key: i for i, key in enumerate(lexicon.areas)}
    strongest = _strongest_concepts(result, lexicon)
    area = min(
        result.area_scores,
        key=lambda a: (-result.area_scores[a], -strongest.get(a, 0.0), order.get(a, len(order))),
    )
    score = result.area_scores[area]
    if score < MIN_AREA_SCORE or result.other_score >= OTHER_MARGIN * score:
        return Placement(None, 0, result)
    return Placement(area, _best_facet(result, area), result)


def theme_key(chart: str, area: str | None, facet: int) -> str:
    """The stable key of an automatic theme."""
    return f"{chart}:other" if area is None else f"{chart}:{area}:{facet}"


def group_notes(
    notes: list[NoteIn],
    areas: list[AreaAnchor],
    pinned: Mapping[int, str] | None = None,
) -> list[Theme]:
    """Group each chart's notes into themes.

    ``areas`` are the instrument's areas (an empty list means the built-in instrument).
    ``pinned`` maps a note id to the theme key a person chose for it: such a note stays in that
    theme (an automatic key, or one the user made such as ``"custom:3"``). A pin whose key names
    the other chart is ignored. Themes come strength chart first, then improvement; within a
    chart, by participants, then notes, then key, with "Other ideas" last.
    """
    lexicon = build_lexicon(areas)
    pinned = pinned or {}
    by_key: dict[str, list[tuple[NoteIn, Placement]]] = {}
    key_chart: dict[str, Chart] = {}
    for note in sorted(notes, key=lambda n: (n.id, n.chart)):
        place = place_note(note, lexicon)
        key = _pinned_key(note, pinned.get(note.id), key_chart)
        if key is None:
            key = theme_key(note.chart, place.area, place.facet)
        key_chart.setdefault(key, note.chart)
        by_key.setdefault(key, []).append((note, place))
    themes = [_make_theme(key, key_chart[key], members, lexicon) for key, members in by_key.items()]
    chart_order = {c: i for i, c in enumerate(CHARTS)}
    themes.sort(
        key=lambda t: (
            chart_order.get(t.chart, 2),
            t.is_other,
            -t.participants,
            -len(t.note_ids),
            t.key,
        )
    )
    return themes


def count_participants(authors: Iterable[int | None]) -> int:
    """Distinct people among ``authors``; each unknown (None) author counts as one more."""
    known: set[int] = set()
    unknown = 0
    for a in authors:
        if a is None:
            unknown += 1
        else:
            known.add(a)
    return len(known) + unknown


def parse_key(key: str) -> tuple[str | None, str | None, int]:
    """``(chart, area, facet)`` of an automatic theme key; ``(chart, None, 0)`` for Other;
    ``(None, None, 0)`` for a key a user made."""
    parts = key.split(":")
    if len(parts) == 2 and parts[0] in CHARTS and parts[1] == "other":
        return parts[0], None, 0
    if len(parts) == 3 and parts[0] in CHARTS and parts[2].isdigit():
        return parts[0], parts[1], int(parts[2])
    return None, None, 0


def _pinned_key(note: NoteIn, key: str | None, key_chart: dict[str, Chart]) -> str | None:
    if not key:
        return None
    chart, _, _ = parse_key(key)
    if chart is not None and chart != note.chart:
        return None  # a pin to the other chart's theme cannot hold
    if key_chart.get(key, note.chart) != note.chart:
        return None  # a user theme already holds the other chart's notes
    return key


def _make_theme(
    key: str, chart: Chart, members: list[tuple[NoteIn, Placement]], lexicon: Lexicon
) -> Theme:
    _, area, facet = parse_key(key)
    if area is not None and area not in lexicon.facet_labels:
        area = None
    auto = area is not None or key.endswith(":other")
    if not auto:
        area = _majority_area(members)
    participants = count_participants(n.author for n, _ in members)
    if key.endswith(":other"):
        label = OTHER_LABEL
    else:
        label = theme_label([p.analysis for _, p in members], lexicon, area, facet)
    return Theme(
        key=key,
        chart=chart,
        label=label,
        area=area,
        note_ids=sorted(n.id for n, _ in members),
        participants=participants,
        recurring=participants >= 2,
    )


def theme_label(
    analyses: list[NoteAnalysis], lexicon: Lexicon, area: str | None, facet: int
) -> str:
    """A short human label: the technique most of the theme's notes name.

    The top concept (counted once per note, in this area when the theme has one) labels the
    theme when at least half its notes, or two notes, name it; a second concept is added
    ("Mini whiteboards and cold calling") when it is nearly as common. Otherwise the sub-theme's
    own label is used.
    """
    counts: dict[int, float] = {}
    for a in analyses:
        for cid, w in a.concepts.items():
            info = lexicon.concepts[cid]
            if info.area == OTHER_AREA or (area is not None and info.area != area):
                continue
            counts[cid] = counts.get(cid, 0.0) + 1.0 + w / 100.0  # weight breaks ties
    fallback = _facet_label(lexicon, area, facet)
    if not counts:
        return fallback
    ranked = sorted(counts, key=lambda c: (-counts[c], lexicon.concepts[c].label))
    n = len(analyses)
    first = ranked[0]
    top = math.floor(counts[first])
    if n > 1 and top < 2 and top * 2 < n:
        return fallback
    label = lexicon.concepts[first].label
    if len(ranked) > 1 and n > 2:
        second = ranked[1]
        c2 = math.floor(counts[second])
        combined = f"{label} and {_lower_first(lexicon.concepts[second].label)}"
        if c2 >= 2 and c2 * 3 >= n and len(combined) <= MAX_LABEL:
            label = combined
    return label


def _facet_label(lexicon: Lexicon, area: str | None, facet: int) -> str:
    if area is None:
        return OTHER_LABEL
    labels = lexicon.facet_labels.get(area) or [lexicon.titles.get(area, area)]
    return labels[facet - 1] if 1 <= facet <= len(labels) else labels[0]


def _lower_first(label: str) -> str:
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _best_facet(result: NoteAnalysis, area: str) -> int:
    best, best_score = 1, 0.0
    for (a, facet), score in sorted(result.facet_scores.items()):
        if a == area and score > best_score:
            best, best_score = facet, score
    return best


def _strongest_concepts(result: NoteAnalysis, lexicon: Lexicon) -> dict[str, float]:
    out: dict[str, float] = {}
    for cid, w in result.concepts.items():
        area = lexicon.concepts[cid].area
        out[area] = max(out.get(area, 0.0), w)
    return out


def _majority_area(members: list[tuple[NoteIn, Placement]]) -> str | None:
    counts: dict[str, int] = {}
    for _, p in members:
        if p.area is not None:
            counts[p.area] = counts.get(p.area, 0) + 1
    for area, c in sorted(counts.items()):
        if c * 2 > len(members):
            return area
    return None
