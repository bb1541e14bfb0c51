"""The compiled practice lexicon for one instrument, and how a note is scored against it.

A :class:`Lexicon` is built from the instrument's areas: the curated lexicon of a built-in area
key, the instrument's own ``vocabulary`` for each area, the areas' titles and texts as weak
anchors, and, for an imported area with an unfamiliar key, the curated lexicon of the built-in
area its words most resemble. Building is cached per instrument.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.lexicon_data import (
    BUILTIN_DESCRIPTIONS,
    BUILTIN_TITLES,
    LEXICON,
    NEUTRAL_PHRASES,
    OTHER_CONCEPTS,
    Facet,
)
from analysis.text import (
    STEMMED_STOPWORDS,
    TypoCorrector,
    content_words,
    expand,
    normalise,
    raw_tokens,
    stem,
    words_and_stems,
)
from analysis.types import AreaAnchor

OTHER_AREA = "__other__"
NEUTRAL = -1
MAX_PHRASE = 6
MEMO_SIZE = 20_000
ANCHOR_WEIGHT = 0.8  # per distinct anchor word that belongs to one area only
ANCHOR_CAP = 1.6  # anchors are hints: never more than about half a technique word
ANCHOR_MAX_AREAS = 3  # a word in more areas' texts than this says nothing about the area
VOCABULARY_WEIGHT = 2.5  # an instrument's own technique word for an area it has no lexicon for
EXTRA_VOCABULARY_WEIGHT = 2.0  # a new vocabulary word for an area the curated lexicon covers
INHERIT_FACTOR = 0.8
INHERIT_MIN_SCORE = 4.0
INHERIT_MARGIN = 1.5
# Words that appear in every area's text and so anchor nothing.
_ANCHOR_STOP = frozenset(
    normalise(
        "support supports supporting teach teaching learn learning lesson lessons work working "
        "department team practice practise help pupil pupils student class across consistently "
        "consistent how what each every all our own make sure rather than so that such as "
        "example for whole time more other others specific especially goal same"
    )
)


@dataclass(frozen=True, slots=True)
class ConceptInfo:
    """One concept: the area and sub-theme (facet, 1-based) it belongs to, and its label."""

    area: str
    facet: int
    label: str


@dataclass(slots=True)
class NoteAnalysis:
    """What the lexicon found in one note's text."""

    concepts: dict[int, float] = field(default_factory=dict)
    area_scores: dict[str, float] = field(default_factory=dict)
    facet_scores: dict[tuple[str, int], float] = field(default_factory=dict)
    other_score: float = 0.0
    words: frozenset[str] = frozenset()


@dataclass(slots=True)
class Lexicon:
    """The phrase index for one instrument's areas."""

    areas: list[str]
    titles: dict[str, str]
    facet_labels: dict[str, list[str]]
    concepts: list[ConceptInfo] = field(default_factory=list)
    phrases: dict[tuple[str, ...], dict[int, float]] = field(default_factory=dict)
    surface: set[str] = field(default_factory=set)
    anchors: dict[str, dict[str, float]] = field(default_factory=dict)
    typo: TypoCorrector | None = None
    known: set[str] = field(default_factory=set)
    memo: dict[str, NoteAnalysis] = field(default_factory=dict)

    def add_concept(self, area: str, facet: int, label: str, weight: float, spec: str) -> None:
        """Register a concept and its ``|``-separated phrases (``phrase=w`` overrides weight)."""
        cid = len(self.concepts)
        self.concepts.append(ConceptInfo(area, facet, label))
        self.add_phrases(cid, weight, spec)

    def add_phrases(self, cid: int, weight: float, spec: str) -> None:
        for raw in spec.split("|"):
            phrase, _, override = raw.strip().partition("=")
            words = expand(raw_tokens(phrase), phrase=True)
            self.surface.update(words)
            tokens = tuple(stem(w) for w in words)
            if not tokens or len(tokens) > MAX_PHRASE:
                continue
            w = float(override) if override else weight
            slot = self.phrases.setdefault(tokens, {})
            slot[cid] = max(slot.get(cid, 0.0), w)

    def analyse(self, text: str) -> NoteAnalysis:
        """Score ``text`` against every area: concept hits, area and facet scores.

        Results are memoised per text (the board regroups the same notes often); treat the
        returned object as read-only.
        """
        found = self.memo.get(text)
        if found is None:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            found = self.memo[text] = self._analyse(text)
        return found

    def _analyse(self, text: str) -> NoteAnalysis:
        assert self.typo is not None
        stems: list[str] = []
        for word, stemmed in words_and_stems(text):
            stems.extend(self._split_compound(self.typo.correct(word, stemmed)))
        found: dict[int, dict[tuple[str, ...], float]] = {}
        consumed = self._match(stems, list(range(len(stems))), found)
        # Second pass without stop words, so "checking for understanding" meets
        # "check understanding"; it never crosses a phrase matched in the first pass.
        segment: list[int] = []
        leftover: list[int] = []
        for i, s in enumerate(stems):
            if i in consumed:
                if segment:
                    self._match(stems, segment, found)
                    segment = []
                continue
            leftover.append(i)
            if s not in STEMMED_STOPWORDS:
                segment.append(i)
        if segment:
            self._match(stems, segment, found)
        hits = {cid: _concept_score(list(phrases.values())) for cid, phrases in found.items()}
        result = NoteAnalysis(concepts=hits, words=frozenset(content_words(stems)))
        for cid, w in hits.items():
            info = self.concepts[cid]
            if info.area == OTHER_AREA:
                result.other_score += w
                continue
            result.area_scores[info.area] = result.area_scores.get(info.area, 0.0) + w
            key = (info.area, info.facet)
            result.facet_scores[key] = result.facet_scores.get(key, 0.0) + w
        anchor: dict[str, float] = {}
        for word in {stems[i] for i in leftover}:
            for area, w in self.anchors.get(word, {}).items():
                anchor[area] = anchor.get(area, 0.0) + w
        for area, w in anchor.items():
            result.area_scores[area] = result.area_scores.get(area, 0.0) + min(w, ANCHOR_CAP)
        return result

    def _split_compound(self, stem_: str) -> list[str]:
        """``["audio", "book"]`` for "audiobook": an unknown long word made of two known ones."""
        if len(stem_) < 7 or stem_ in self.known or stem_ in STEMMED_STOPWORDS:
            return [stem_]
        for i in range(3, len(stem_) - 2):
            head, tail = stem_[:i], stem(stem_[i:])
            if head in self.known and tail in self.known:
                return [head, tail]
        return [stem_]

    def _match(
        self,
        stems: list[str],
        positions: list[int],
        found: dict[int, dict[tuple[str, ...], float]],
    ) -> set[int]:
        """Longest-first phrase matching over ``stems[positions]``; returns consumed positions.

        ``found`` collects, per concept, the weight of each distinct phrase matched.
        """
        consumed: set[int] = set()
        seq = [stems[p] for p in positions]
        i = 0
        while i < len(seq):
            for n in range(min(MAX_PHRASE, len(seq) - i), 0, -1):
                phrase = tuple(seq[i : i + n])
                hit = self.phrases.get(phrase)
                if hit is None:
                    continue
                for cid, w in hit.items():
                    if cid != NEUTRAL:
                        found.setdefault(cid, {})[phrase] = w
                consumed.update(positions[i : i + n])
                i += n
                break
            else:
                i += 1
        return consumed


def _concept_score(weights: list[float]) -> float:
    """A concept's evidence in one note: its strongest phrase, plus half of the others' weight,
    at most half as much again ("calm, consistent routines" says more than "routines")."""
    best = max(weights)
    return best + 0.5 * min(sum(weights) - best, best)


def builtin_areas() -> list[AreaAnchor]:
    """The built-in instrument's areas, in order, as anchors (titles and short descriptions)."""
    return [AreaAnchor(k, BUILTIN_TITLES[k], BUILTIN_DESCRIPTIONS[k]) for k in BUILTIN_TITLES]


def build_lexicon(areas: Sequence[AreaAnchor]) -> Lexicon:
    """The lexicon for these areas (cached: the same instrument is compiled once).

    An empty list means the built-in instrument.
    """
    frozen = tuple(
        AreaAnchor(a.key, a.title, a.text or "", tuple(a.vocabulary or ())) for a in areas
    )
    return _build(frozen or tuple(builtin_areas()))


@lru_cache(maxsize=32)
def _build(areas: tuple[AreaAnchor, ...]) -> Lexicon:
    lex = Lexicon(
        areas=[a.key for a in areas],
        titles={a.key: a.title for a in areas},
        facet_labels={},
    )
    for label, weight, spec in OTHER_CONCEPTS:
        lex.add_concept(OTHER_AREA, 0, label, weight, spec)
    lex.phrases.update({p: {NEUTRAL: 0.0} for p in _phrases(NEUTRAL_PHRASES)})
    builtin_phrases = _builtin_phrases()
    for area in areas:
        facets = LEXICON.get(area.key)
        factor = 1.0
        if facets is None:
            facets, factor = _inherited(area)
        lex.facet_labels[area.key] = [f[0] for f in facets] or [area.title]
        for n, (_, concepts) in enumerate(facets, start=1):
            for label, weight, spec in concepts:
                lex.add_concept(area.key, n, label, weight * factor, spec)
        extra = EXTRA_VOCABULARY_WEIGHT if area.key in LEXICON else VOCABULARY_WEIGHT
        for phrase in area.vocabulary:
            tokens = tuple(stem(w) for w in expand(raw_tokens(phrase), phrase=True))
            if not tokens or (area.key in LEXICON and tokens in builtin_phrases):
                continue  # the curated lexicon already places this phrase
            spec = phrase.replace("|", " ").replace("=", " ")
            lex.add_concept(area.key, 1, _label(phrase), extra, spec)
    _add_anchors(lex, areas)
    # Typos are corrected towards practice words only: a misspelt note is never pushed into
    # "Other ideas" by a near miss on "trips" or "printer".
    other_words = {s for p, hit in lex.phrases.items() for s in p if _is_other(lex, hit)}
    other_words -= {s for p, hit in lex.phrases.items() for s in p if not _is_other(lex, hit)}
    forms = {s: s for p in lex.phrases for s in p}
    forms.update({w: stem(w) for w in lex.surface})
    forms.update({a: a for a in lex.anchors})
    lex.known = {s for p in lex.phrases for s in p if len(s) >= 3} - STEMMED_STOPWORDS
    lex.typo = TypoCorrector(
        {f: s for f, s in forms.items() if f not in STEMMED_STOPWORDS and s not in other_words}
    )
    return lex


def _is_other(lex: Lexicon, hit: dict[int, float]) -> bool:
    return all(cid != NEUTRAL and lex.concepts[cid].area == OTHER_AREA for cid in hit)


def _add_anchors(lex: Lexicon, areas: tuple[AreaAnchor, ...]) -> None:
    words: dict[str, set[str]] = {}
    for area in areas:
        for w in set(content_words(normalise(f"{area.title} {area.text}"))):
            if w not in _ANCHOR_STOP and not w.isdigit():
                words.setdefault(w, set()).add(area.key)
    n = max(len(areas), 2)
    for w, keys in words.items():
        if len(keys) > ANCHOR_MAX_AREAS:
            continue
        weight = ANCHOR_WEIGHT * math.log(1 + n / len(keys)) / math.log(1 + n)
        lex.anchors[w] = {k: round(weight, 4) for k in sorted(keys)}


def _phrases(spec: str) -> list[tuple[str, ...]]:
    out = []
    for raw in spec.split("|"):
        words = expand(raw_tokens(raw.strip().partition("=")[0]), phrase=True)
        tokens = tuple(stem(w) for w in words)
        if tokens:
            out.append(tokens)
    return out


@lru_cache(maxsize=1)
def _builtin_phrases() -> frozenset[tuple[str, ...]]:
    return frozenset(
        p
        for facets in LEXICON.values()
        for _, concepts in facets
        for _, _, spec in concepts
        for p in _phrases(spec)
    )


@lru_cache(maxsize=1)
def _builtin_reference() -> Lexicon:
    """The built-in lexicon alone, used to recognise what an imported area is about."""
    return _build(tuple(builtin_areas()))


def _inherited(area: AreaAnchor) -> tuple[list[Facet], float]:
    """The built-in facets an imported area most resembles, if it clearly resembles one."""
    reference = _builtin_reference()
    # The title names the practice most directly, so it counts twice.
    scores = dict(reference.analyse(" . ".join([area.text, *area.vocabulary])).area_scores)
    for key, score in reference.analyse(area.title).area_scores.items():
        scores[key] = scores.get(key, 0.0) + 2 * score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < INHERIT_MIN_SCORE:
        return [], 1.0
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if ranked[0][1] < INHERIT_MARGIN * runner_up:
        return [], 1.0
    return LEXICON[ranked[0][0]], INHERIT_FACTOR


def _label(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    return phrase[:1].upper() + phrase[1:]
