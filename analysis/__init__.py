"""Themes and matching for the live flipcharts: plain functions over plain data.

Nothing here imports Django or touches the database; the board app builds :class:`NoteIn` and
:class:`AreaAnchor` values from its models and stores what comes back. Everything runs offline
and is deterministic. See docs/analysis.md for the method and its measured quality.
"""

from analysis.lexicon import builtin_areas
from analysis.matching import suggest_matches
from analysis.ranking import area_weakness, recurring_strengths, training_needs
from analysis.themes import group_notes, parse_key, theme_key
from analysis.types import AreaAnchor, Match, NoteIn, Theme, TrainingNeed

__all__ = [
    "AreaAnchor",
    "Match",
    "NoteIn",
    "Theme",
    "TrainingNeed",
    "area_weakness",
    "builtin_areas",
    "group_notes",
    "parse_key",
    "recurring_strengths",
    "suggest_matches",
    "theme_key",
    "training_needs",
]
