"""Grouping sticky notes into themes: quality on labelled notes, determinism, corrections.

Plain functions, no database: runs with or without the Django plugin, e.g.
``.venv/bin/python -m pytest tests/test_analysis_themes.py -p no:django --noconftest -q``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import (
    AreaAnchor,
    NoteIn,
    Theme,
    builtin_areas,
    group_notes,
    parse_key,
    recurring_strengths,
    theme_key,
    training_needs,
)
from analysis.lexicon import build_lexicon
from analysis.lexicon_data import LEXICON, OTHER_CONCEPTS
from analysis.metrics import adjusted_rand_index, theme_labels
from analysis.text import damerau1, expand, normalise, raw_tokens, stem

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = ROOT / "audits" / "instruments" / "adaptive-teaching.yaml"
AREAS = builtin_areas()


def load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


GOLD_THEMES = load("notes_labelled.yaml")["gold_themes"]


def team_notes(team: dict, tags: bool = False) -> list[NoteIn]:
    return [
        NoteIn(n["id"], n["chart"], n["text"], n["author"], n.get("area") if tags else None)
        for n in team["notes"]
    ]


def team_ari(team: dict, areas: list[AreaAnchor] = AREAS, tags: bool = False) -> float:
    themes = group_notes(team_notes(team, tags), areas)
    predicted = theme_labels(themes)
    ids = sorted(predicted)
    gold = {n["id"]: f"{n['chart']}:{n['gold']}" for n in team["notes"]}
    return adjusted_rand_index([gold[i] for i in ids], [predicted[i] for i in ids])


def overall_ari(teams: list[dict], areas: list[AreaAnchor] = AREAS, tags: bool = False) -> float:
    """One meeting per team; the partitions are joined, so notes never share a theme across
    teams."""
    gold, predicted = [], []
    for team in teams:
        themes = group_notes(team_notes(team, tags), areas)
        labels = theme_labels(themes, prefix=team["name"] + "/")
        for n in team["notes"]:
            gold.append(f"{team['name']}/{n['chart']}:{n['gold']}")
            predicted.append(labels[n["id"]])
    return adjusted_rand_index(gold, predicted)


# --- the adjusted Rand index itself -------------------------------------------------------


def test_ari_matches_hand_computed_examples():
    # [0,0,1,1] vs [0,0,1,2]: pairs agreeing 1, expected 1/3, max 3/2 -> (2/3)/(7/6) = 4/7.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    # [a,a,a,b,b,b] vs [x,x,y,y,z,z]: index 2, expected 6*3/15 = 1.2, max 4.5 -> 0.8/3.3 = 8/33.
    gold = list("aaabbb")
    assert adjusted_rand_index(gold, list("xxyyzz")) == pytest.approx(8 / 33)


def test_ari_is_one_for_the_same_partition_under_any_names_and_symmetric():
    gold = [1, 1, 2, 2, 3, 3, 3]
    assert adjusted_rand_index(gold, list("bbaaccc")) == pytest.approx(1.0)
    a, b = [0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 2]
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(b, a))
    assert adjusted_rand_index([0] * 5, [0] * 5) == 1.0
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])


# --- quality on the labelled notes -------------------------------------------------------


def test_labelled_set_is_big_enough_and_well_formed():
    data = load("notes_labelled.yaml")
    notes = [n for team in data["teams"] for n in team["notes"]]
    assert len(data["teams"]) >= 2 and len(notes) >= 150
    assert len({n["id"] for n in notes}) == len(notes)
    assert {n["gold"] for n in notes} <= set(GOLD_THEMES)
    assert {n["chart"] for n in notes} == {"strength", "improvement"}
    assert any(n["gold"] == "other" for n in notes)


def test_grouping_reaches_the_target_ari_on_the_labelled_set(capsys):
    teams = load("notes_labelled.yaml")["teams"]
    overall = overall_ari(teams)
    per_team = {t["name"]: round(team_ari(t), 3) for t in teams}
    with capsys.disabled():
        print(f"\nARI labelled set (text only): overall {overall:.3f}, per team {per_team}")
    assert overall >= 0.7
    assert all(value >= 0.7 for value in per_team.values()), per_team


def test_area_tags_never_make_the_grouping_worse():
    teams = load("notes_labelled.yaml")["teams"]
    assert overall_ari(teams, tags=True) >= overall_ari(teams) - 1e-9


def test_held_out_notes_are_reported(capsys):
    """Notes written after the lexicon was frozen. Reported, with a floor that only catches a
    collapse: the honest figure is far below the development set's (see docs/analysis.md)."""
    teams = load("notes_labelled_heldout.yaml")["teams"]
    scores = {t["name"]: round(team_ari(t), 3) for t in teams}
    with capsys.disabled():
        print(f"\nARI later teams: {scores} (only the last one, maths, is still held out)")
    assert scores["maths"] >= 0.25
    assert overall_ari(teams) >= 0.5


@pytest.mark.skipif(not INSTRUMENT.exists(), reason="the built-in instrument file is not here")
def test_grouping_with_the_real_instrument_text_and_vocabulary():
    inst = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    areas = [
        AreaAnchor(
            a["key"],
            a["title"],
            " ".join([a.get("description", ""), *a.get("statements", [])]),
            tuple(a.get("vocabulary", [])),
        )
        for a in inst["areas"]
    ]
    assert overall_ari(load("notes_labelled.yaml")["teams"], areas) >= 0.7


def test_an_imported_instrument_with_unfamiliar_keys_borrows_the_lexicon():
    renamed = [AreaAnchor(f"area-{i}", a.title, a.text) for i, a in enumerate(AREAS)]
    assert overall_ari(load("notes_labelled.yaml")["teams"], renamed) >= 0.7


def test_an_imported_area_is_found_through_its_vocabulary():
    areas = [
        *AREAS,
        AreaAnchor("homework", "Home learning", "", ("homework", "home learning", "Sparx")),
    ]
    notes = [
        NoteIn(1, "improvement", "Homework is never completed by Y9", 1),
        NoteIn(2, "improvement", "home learning tasks are too long", 2),
    ]
    [theme] = group_notes(notes, areas)
    assert theme.area == "homework" and theme.recurring


# --- behaviour ----------------------------------------------------------------------------


def _dump(themes: list[Theme]) -> list[tuple]:
    return [(t.key, t.chart, t.label, t.area, t.note_ids, t.participants) for t in themes]


def test_same_themes_whatever_the_order_of_the_notes():
    notes = [n for t in load("notes_labelled.yaml")["teams"] for n in team_notes(t)]
    expected = _dump(group_notes(notes, AREAS))
    for seed in range(5):
        shuffled = notes[:]
        random.Random(seed).shuffle(shuffled)
        assert _dump(group_notes(shuffled, AREAS)) == expected


def test_each_note_in_exactly_one_theme_and_charts_kept_apart():
    notes = team_notes(load("notes_labelled.yaml")["teams"][0])
    themes = group_notes(notes, AREAS)
    seen = [nid for t in themes for nid in t.note_ids]
    assert sorted(seen) == sorted(n.id for n in notes)
    chart = {n.id: n.chart for n in notes}
    for t in themes:
        assert {chart[i] for i in t.note_ids} == {t.chart}
        assert t.key.startswith(t.chart + ":")
        assert t.label and len(t.label) <= 60


def test_practices_teachers_name_differently_land_together():
    texts = [
        "random name picker",
        "show-me boards",
        "thumbs up, thumbs down",
        "MWBs in every lesson",
        "lolly sticks so no hands up",
    ]
    notes = [NoteIn(i, "strength", t, i) for i, t in enumerate(texts)]
    [theme] = group_notes(notes, AREAS)
    assert theme.area == "checking-understanding" and theme.participants == 5
    assert "Mini whiteboards" in theme.label or "Cold calling" in theme.label
    tiered = [
        NoteIn(10, "improvement", "bronze, silver and gold tasks", 1),
        NoteIn(11, "improvement", "chilli challenges for all", 2),
    ]
    [theme] = group_notes(tiered, AREAS)
    assert theme.area == "high-expectations"


def test_off_topic_notes_go_to_other_ideas_and_are_never_training_needs():
    notes = [
        NoteIn(1, "improvement", "the coffee machine is broken", 1),
        NoteIn(2, "improvement", "Parking!!", 2),
        NoteIn(3, "improvement", "TAs not briefed", 3),
        NoteIn(4, "improvement", "no time to brief the TA", 4),
    ]
    themes = group_notes(notes, AREAS)
    other = next(t for t in themes if t.is_other)
    assert other.key == "improvement:other" and other.label == "Other ideas"
    assert other.area is None and other.note_ids == [1, 2] and other.recurring
    assert themes[-1] is other
    assert [n.theme_key for n in training_needs(themes)] == ["improvement:grouping-and-adults:1"]


def test_participants_count_people_and_unknown_authors_separately():
    notes = [
        NoteIn(1, "strength", "cold calling", 7),
        NoteIn(2, "strength", "cold call every lesson", 7),
        NoteIn(3, "strength", "no hands up", None),
        NoteIn(4, "strength", "lolly sticks", None),
    ]
    [theme] = group_notes(notes, AREAS)
    assert theme.participants == 3 and theme.recurring
    [single] = group_notes(notes[:2], AREAS)
    assert single.participants == 1 and not single.recurring


def test_pinned_notes_stay_where_people_put_them():
    notes = team_notes(load("notes_labelled.yaml")["teams"][0])
    auto = {nid: t.key for t in group_notes(notes, AREAS) for nid in t.note_ids}
    pins = {1: "strength:scaffolding:1", 2: "custom:3", 3: "custom:3", 50: "strength:other"}
    themes = group_notes(notes, AREAS, pinned=pins)
    where = {nid: t.key for t in themes for nid in t.note_ids}
    assert where[1] == "strength:scaffolding:1"
    assert where[2] == where[3] == "custom:3"
    assert where[50] == auto[50]  # a pin to the other chart's theme cannot hold
    for nid, key in auto.items():
        if nid not in pins or nid == 50:
            assert where[nid] == key
    custom = next(t for t in themes if t.key == "custom:3")
    assert custom.chart == "strength" and custom.note_ids == [2, 3]
    assert custom.area == "checking-understanding"  # both notes are about checking


def test_theme_keys_are_stable_and_parse_back():
    assert theme_key("strength", "scaffolding", 1) == "strength:scaffolding:1"
    assert parse_key("strength:scaffolding:1") == ("strength", "scaffolding", 1)
    assert parse_key("improvement:other") == ("improvement", None, 0)
    assert parse_key("custom:3") == (None, None, 0)


def test_recurring_strengths_and_training_needs_ranking():
    notes = [
        NoteIn(1, "strength", "mini whiteboards", 1),
        NoteIn(2, "strength", "MWB every lesson", 2),
        NoteIn(3, "strength", "seating plans", 3),
        NoteIn(4, "improvement", "TA deployment", 1),
        NoteIn(5, "improvement", "brief the TAs", 2),
        NoteIn(6, "improvement", "retrieval practice", 1),
        NoteIn(7, "improvement", "more low stakes quizzes", 3),
        NoteIn(8, "improvement", "hinge questions", 4),
    ]
    themes = group_notes(notes, AREAS)
    [celebrate] = recurring_strengths(themes)
    assert celebrate.area == "checking-understanding" and celebrate.participants == 2
    stats = {
        "metacognition": {"mean": 1.8, "distribution": {"1": 4, "2": 3, "3": 1}},
        "grouping-and-adults": {"mean": 3.4, "distribution": {"3": 4, "4": 4}},
    }
    needs = training_needs(themes, stats)
    assert [n.area for n in needs] == ["metacognition", "grouping-and-adults"]
    assert needs[0].rank == 1 and needs[0].lowest_share == 0.5 and needs[0].weakness > 0.5
    suppressed = {**stats, "metacognition": {"suppressed": True}}
    assert training_needs(themes, suppressed)[0].area == "grouping-and-adults"
    assert all(n.weakness is None for n in training_needs(themes))


def test_a_thousand_notes_are_grouped():
    texts = [n["text"] for t in load("notes_labelled.yaml")["teams"] for n in t["notes"]]
    rng = random.Random(3)
    notes = [
        NoteIn(i, rng.choice(["strength", "improvement"]), rng.choice(texts), rng.randrange(90))
        for i in range(1000)
    ]
    themes = group_notes(notes, AREAS)
    assert sum(len(t.note_ids) for t in themes) == 1000


# --- text normalisation -------------------------------------------------------------------


def test_abbreviations_and_case_sensitive_acronyms():
    assert normalise("TAs") == normalise("teaching assistants")
    assert normalise("MWBs") == normalise("mini whiteboards")
    assert "send" in normalise("SEND pupils") and "send" in normalise("our send kids")
    assert "send" not in normalise("Please send me the slides")
    assert expand(raw_tokens("send"), phrase=True) == ["send"]
    assert "technology" in normalise("IT suite") and "technology" not in normalise("it is")
    assert normalise("modelling") == normalise("models") == normalise("modelled")


def test_typos_within_one_edit_are_read_as_the_lexicon_word():
    lexicon = build_lexicon(AREAS)
    for typo, area in [
        ("scafolding for 6 markers", "scaffolding"),
        ("metacognitoin", "metacognition"),
        ("retreival practise", "metacognition"),
        ("mini whitebaords", "checking-understanding"),
    ]:
        assert max(lexicon.analyse(typo).area_scores.items(), key=lambda kv: kv[1])[0] == area
    assert damerau1("abcd", "abdc") and damerau1("abc", "abxc") and not damerau1("abcx", "abyc")
    # A real word one letter from an off-topic word is not pushed into "Other ideas".
    assert lexicon.analyse("Stretch for HAPs in Y11 triple").other_score == 0


def test_lexicon_phrases_do_not_contradict_themselves():
    """Two spellings of one phrase in a concept (after stemming) must carry the same weight,
    otherwise the larger silently wins and the written weight means nothing."""
    problems = []
    concepts = [c for facets in LEXICON.values() for _, cs in facets for c in cs]
    for label, weight, spec in concepts + OTHER_CONCEPTS:
        seen: dict[tuple[str, ...], float] = {}
        for raw in spec.split("|"):
            phrase, _, override = raw.strip().partition("=")
            tokens = tuple(stem(w) for w in expand(raw_tokens(phrase), phrase=True))
            w = float(override or weight)
            if seen.get(tokens, w) != w:
                problems.append((label, phrase))
            seen.setdefault(tokens, w)
    assert problems == []


def test_every_builtin_area_has_a_lexicon_and_titles():
    assert [a.key for a in AREAS] == list(LEXICON)
    assert len(AREAS) == 11 and all(a.title for a in AREAS)


def test_the_package_imports_without_django():
    code = "import sys, analysis; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
