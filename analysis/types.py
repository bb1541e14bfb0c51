"""Plain data that goes into and comes out of the analysis functions.

Everything here is a frozen dataclass of built-in types, so the Django side can build the inputs
from the ORM and serialise the outputs without the analysis package knowing about either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Chart = Literal["strength", "improvement"]
CHARTS: tuple[Chart, Chart] = ("strength", "improvement")


@dataclass(frozen=True, slots=True)
class NoteIn:
    """One sticky note.

    ``author`` is an opaque participant id (the member id). It is used only to count distinct
    people and to never pair a person with themselves; it never appears in outputs except as
    ``Match.mentor`` (the author of a strength). ``area`` is the area key the writer tagged the
    note with, if any.
    """

    id: int
    chart: Chart
    text: str
    author: int | None = None
    area: str | None = None


@dataclass(frozen=True, slots=True)
class AreaAnchor:
    """An audit area as the grouping sees it.

    ``text`` is the area's description and statements run together; ``vocabulary`` is the
    instrument's optional list of technique words and phrases for the area.
    """

    key: str
    title: str
    text: str = ""
    vocabulary: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of notes on one chart about one practice.

    ``key`` is stable for the same input: ``"<chart>:<area>:<n>"`` for an automatic theme (``n``
    numbers the area's sub-themes from 1), ``"<chart>:other"`` for notes about no practice, or
    whatever key a user chose for a theme they made (``"custom:3"``).
    """

    key: str
    chart: Chart
    label: str
    area: str | None
    note_ids: list[int]
    participants: int
    recurring: bool

    @property
    def is_other(self) -> bool:
        """True for a chart's "Other ideas" theme (notes that name no teaching practice)."""
        return self.key.endswith(":other")


@dataclass(frozen=True, slots=True)
class Match:
    """A suggested pairing of an area for improvement with a colleague who can help.

    ``strength_note`` is None when the suggestion comes from audit ratings alone. ``mentor`` is
    the author of the strength (or the member whose ratings were high); show it only as the API's
    consent rules allow.
    """

    improvement_note: int
    strength_note: int | None
    mentor: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class TrainingNeed:
    """A recurring area for improvement, ranked as a training need (``rank`` starts at 1).

    ``mean`` and ``lowest_share`` come from the audit's results for the theme's area (None when
    unknown or suppressed); ``weakness`` combines them into 0..1, higher meaning weaker.
    """

    rank: int
    theme_key: str
    label: str
    area: str | None
    participants: int
    note_ids: list[int] = field(default_factory=list)
    mean: float | None = None
    lowest_share: float | None = None
    weakness: float | None = None
