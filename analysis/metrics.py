"""Quality measures for the grouping and the matching (used by tests, the benchmark and docs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

from analysis.types import Match, Theme


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def adjusted_rand_index(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """The adjusted Rand index of two labelings of the same items (Hubert and Arabie, 1985).

    1.0 for identical partitions, about 0 for chance agreement, negative when worse than
    chance. When both partitions are trivial (everything in one cluster, or every item on its
    own) and equal, the result is 1.0.
    """
    if len(gold) != len(predicted):
        raise ValueError("both labelings must cover the same items")
    n = len(gold)
    if n < 2:
        return 1.0
    contingency = Counter(zip(gold, predicted, strict=True))
    index = sum(_pairs(c) for c in contingency.values())
    sum_gold = sum(_pairs(c) for c in Counter(gold).values())
    sum_pred = sum(_pairs(c) for c in Counter(predicted).values())
    total = _pairs(n)
    expected = sum_gold * sum_pred / total
    maximum = (sum_gold + sum_pred) / 2
    if maximum == expected:
        return 1.0 if index == maximum else 0.0
    return (index - expected) / (maximum - expected)


def theme_labels(themes: Sequence[Theme], prefix: str = "") -> dict[int, str]:
    """Note id -> theme key, for comparing a grouping with gold labels."""
    return {nid: prefix + t.key for t in themes for nid in t.note_ids}


def match_precision(
    matches: Sequence[Match], acceptable: Mapping[int, Sequence[int]]
) -> tuple[float, int, int]:
    """``(precision, correct, judged)`` over matches that name a strength note.

    A match is correct when its strength note is among the acceptable ones for its
    improvement note; an improvement missing from ``acceptable`` has none acceptable.
    Rating-only matches (no strength note) are not judged here. Precision is 1.0 when
    nothing was judged.
    """
    judged = [m for m in matches if m.strength_note is not None]
    correct = sum(1 for m in judged if m.strength_note in acceptable.get(m.improvement_note, ()))
    return (correct / len(judged) if judged else 1.0), correct, len(judged)
