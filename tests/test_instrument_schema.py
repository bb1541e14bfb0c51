"""The instrument import format: parsing, validation, error messages and the built-in instrument.

Pure Python: no database, no Django settings needed.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.instrument_schema import (
    MAX_BYTES,
    InstrumentError,
    load_builtin,
    parse_instrument,
    validate_instrument,
)

FREQUENCY = ["Rarely", "Sometimes", "Usually", "Consistently"]
STAGES = ["Not yet", "Emerging", "Developing", "Embedded"]
AREA_KEYS = [
    "high-expectations",
    "knowing-pupils",
    "checking-understanding",
    "explicit-instruction",
    "scaffolding",
    "metacognition",
    "grouping-and-adults",
    "resources-technology",
    "language-oracy",
    "inclusive-environment",
    "sustainable-practice",
]

SMALL_YAML = """\
slug: science-practice
title: Science practical work
scale:
  - {value: 1, label: Rarely}
  - {value: 2, label: Sometimes}
  - {value: 3, label: Usually}
areas:
  - key: safety
    title: Safe practical work
    vocabulary: [risk assessment, goggles]
    question:
      text: Across our department, how consistently do we brief pupils on risks?
      scale:
        - {value: 1, label: Not yet}
        - {value: 2, label: Embedded}
    statements:
      - I model each practical before pupils try it.
      - text: I check that every pupil can say the main risk.
"""

SMALL = {
    "slug": "science-practice",
    "title": "Science practical work",
    "scale": [{"value": 1, "label": "Rarely"}, {"value": 2, "label": "Sometimes"}],
    "areas": [
        {
            "key": "safety",
            "title": "Safe practical work",
            "question": {"text": "Across our department, how consistently do we brief pupils?"},
            "statements": [{"text": "I model each practical before pupils try it."}],
        }
    ],
}


def errors_of(text: str | bytes, content_type: str = "application/yaml") -> list[dict[str, Any]]:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text, content_type)
    return caught.value.errors


def messages(errors: list[dict[str, Any]]) -> str:
    return "\n".join(e["msg"] for e in errors)


def test_it_loads_the_builtin_instrument() -> None:
    builtin = load_builtin()
    assert builtin["slug"] == "adaptive-teaching"
    assert builtin["title"] == "Adaptive teaching practice audit"
    assert builtin["version"] == 1
    assert [p["label"] for p in builtin["scale"]] == FREQUENCY
    assert [p["value"] for p in builtin["scale"]] == [1, 2, 3, 4]
    assert [a["key"] for a in builtin["areas"]] == AREA_KEYS
    assert len(builtin["areas"]) >= 8
    for area in builtin["areas"]:
        assert 3 <= len(area["statements"]) <= 4, area["key"]
        assert [p["label"] for p in area["question"]["scale"]] == STAGES
        assert area["question"]["text"].startswith("Across our department, how consistently")
        assert all(s["text"].startswith("I ") for s in area["statements"])
        assert all("scale" not in s for s in area["statements"])
        assert area["description"].endswith(").")  # names its source in brackets
        assert 8 <= len(area["vocabulary"]) <= 20, area["key"]


def test_it_keeps_the_builtin_within_fifteen_minutes() -> None:
    builtin = load_builtin()
    items = sum(1 + len(area["statements"]) for area in builtin["areas"])
    assert 40 <= items <= 50


def test_it_keeps_known_misconceptions_out_of_the_builtin() -> None:
    text = json.dumps(load_builtin()).lower()
    for phrase in ("learning style", "kinaesthetic", "three worksheets", "easier worksheet"):
        assert phrase not in text
    assert "not part of appraisal" in text


def test_it_returns_a_fresh_copy_of_the_builtin() -> None:
    load_builtin()["areas"].clear()
    assert len(load_builtin()["areas"]) == 11


def test_it_normalises_a_small_yaml_instrument() -> None:
    result = parse_instrument(SMALL_YAML, "application/yaml")
    assert result["version"] == 1
    assert result["description"] == ""
    area = result["areas"][0]
    assert area == {
        "key": "safety",
        "title": "Safe practical work",
        "description": "",
        "vocabulary": ["risk assessment", "goggles"],
        "question": {
            "text": "Across our department, how consistently do we brief pupils on risks?",
            "scale": [{"value": 1, "label": "Not yet"}, {"value": 2, "label": "Embedded"}],
        },
        "statements": [
            {"text": "I model each practical before pupils try it."},
            {"text": "I check that every pupil can say the main risk."},
        ],
    }


def test_it_round_trips_through_json_and_yaml() -> None:
    builtin = load_builtin()
    assert parse_instrument(json.dumps(builtin), "application/json") == builtin
    assert (
        parse_instrument(json.dumps(builtin).encode(), "application/json; charset=utf-8") == builtin
    )
    dumped = yaml.safe_dump(builtin, allow_unicode=True, sort_keys=False)
    for content_type in ("application/yaml", "text/yaml", "application/x-yaml"):
        assert parse_instrument(dumped, content_type) == builtin
    assert validate_instrument(copy.deepcopy(builtin)) == builtin


def test_it_accepts_a_utf8_byte_order_mark() -> None:
    raw = "\ufeff" + json.dumps(SMALL)
    assert parse_instrument(raw.encode(), "application/json")["slug"] == "science-practice"


def test_it_strips_texts_and_defaults_the_version() -> None:
    data = copy.deepcopy(SMALL)
    data["title"] = "  Science  \n"
    result = validate_instrument(data)
    assert result["title"] == "Science"
    assert result["version"] == 1


def test_it_names_the_line_of_a_yaml_error() -> None:
    text = SMALL_YAML.replace("      - text: I check", "      - text: ''\n        hint: I check")
    errors = errors_of(text)
    by_loc = {tuple(e["loc"]): e for e in errors}
    empty = by_loc[("body", "areas", 0, "statements", 1, "text")]
    assert empty["msg"] == "Must not be empty."
    assert empty["line"] == 18
    unknown = by_loc[("body", "areas", 0, "statements", 1, "hint")]
    assert unknown["line"] == 19


def test_it_gives_the_line_of_the_enclosing_item_for_a_missing_key() -> None:
    text = SMALL_YAML.replace("  - key: safety\n", "  - kee: safety\n")
    errors = errors_of(text)
    assert {
        "loc": ["body", "areas", 0, "key"],
        "msg": "Add the required key 'key'.",
        "line": 8,
    } in errors
    assert any(e["msg"] == "Unknown key 'kee' — did you mean 'key'?" for e in errors)


def test_it_suggests_the_key_that_was_meant() -> None:
    text = SMALL_YAML.replace("    statements:", "    statments:")
    errors = errors_of(text)
    assert {
        "loc": ["body", "areas", 0, "statments"],
        "msg": "Unknown key 'statments' — did you mean 'statements'?",
        "line": 16,
    } in errors
    assert {
        "loc": ["body", "areas", 0, "statements"],
        "msg": "Each area needs at least one statement.",
        "line": 8,
    } in errors


def test_it_lists_the_allowed_keys_when_nothing_is_close() -> None:
    data = {**SMALL, "colour": "blue"}
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    [error] = caught.value.errors
    assert error["loc"] == ["body", "colour"]
    assert error["msg"] == (
        "Unknown key 'colour' — use one of areas, description, scale, slug, title, version."
    )
    assert "line" not in error


def test_it_collects_every_error_at_once() -> None:
    data = {
        "slug": "Science Practice!",
        "title": "",
        "version": 0,
        "scale": [{"value": 2, "label": "High"}, {"value": 1, "label": "x" * 41}],
        "areas": [
            {"key": "a", "title": "A", "question": "Q?", "statements": []},
            {"key": "a", "title": "B", "question": {"text": "Q?"}, "statements": ["I do."]},
        ],
    }
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    got = {tuple(e["loc"]): e["msg"] for e in caught.value.errors}
    assert got == {
        ("body", "slug"): "Use 1–64 lower-case letters a–z, digits and hyphens, "
        "e.g. science-practice.",
        ("body", "title"): "Must not be empty.",
        ("body", "version"): "Must be a whole number from 1 to 1000000.",
        ("body", "scale", 1, "value"): "Values must go up, point by point: 1 comes after 2.",
        ("body", "scale", 1, "label"): "Too long: 41 characters; the limit is 40.",
        ("body", "areas", 0, "statements"): "Each area needs at least one statement.",
        ("body", "areas", 1, "key"): "Another area already uses the key 'a'.",
    }


def test_it_refuses_repeated_scale_values() -> None:
    data = copy.deepcopy(SMALL)
    data["scale"] = [{"value": 1, "label": "No"}, {"value": 1, "label": "Yes"}]
    with pytest.raises(InstrumentError, match="The value 1 is used twice; give each point"):
        validate_instrument(data)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("areas",), "science", "Wrong type: expected a list, got a string."),
        (("scale",), {"value": 1}, "Wrong type: expected a list, got a mapping."),
        (("title",), 42, "Wrong type: expected a string, got a whole number. Put it in quotes"),
        (("version",), "2", "Wrong type: expected a whole number, got a string."),
        (("version",), True, "Wrong type: expected a whole number, got true/false."),
        (("version",), 1.5, "Wrong type: expected a whole number, got a decimal number."),
        (("areas", 0), ["x"], "Wrong type: expected a mapping of keys to values, got a list."),
        (("areas", 0, "statements"), None, "Wrong type: expected a list, got nothing."),
        (("areas", 0, "vocabulary"), "TA", "Wrong type: expected a list, got a string."),
        (
            ("areas", 0, "question"),
            ["Q?"],
            "Wrong type: expected a string or a mapping with 'text', got a list.",
        ),
        (("scale", 0, "value"), "1", "Wrong type: expected a whole number, got a string."),
        (("scale", 0, "value"), 500, "Must be a whole number from -100 to 100."),
    ],
)
def test_it_reports_wrong_types(path: tuple[Any, ...], value: Any, expected: str) -> None:
    data = copy.deepcopy(SMALL)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    [error] = caught.value.errors
    assert error["loc"] == ["body", *path]
    assert error["msg"].startswith(expected)


def test_it_explains_yaml_words_that_are_not_text() -> None:
    text = SMALL_YAML.replace("label: Sometimes", "label: Yes")
    [error] = errors_of(text)
    assert error["loc"] == ["body", "scale", 1, "label"]
    assert error["line"] == 5
    assert "got true/false" in error["msg"] and "quotes" in error["msg"]


def test_it_refuses_a_non_mapping_document() -> None:
    [error] = errors_of("- just\n- a list\n")
    assert error["loc"] == ["body"]
    assert error["msg"] == "Wrong type: expected a mapping of keys to values, got a list."


def test_it_enforces_the_limits() -> None:
    data = copy.deepcopy(SMALL)
    area = data["areas"][0]
    data["areas"] = [dict(area, key=f"area-{i}") for i in range(31)]
    data["areas"][0]["statements"] = ["I do this."] * 41
    data["areas"][0]["title"] = "t" * 201
    data["areas"][1]["statements"] = ["x" * 501]
    data["scale"] = [{"value": i, "label": str(i)} for i in range(11)]
    data["slug"] = "s" * 65
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    got = {tuple(e["loc"]): e["msg"] for e in caught.value.errors}
    assert got[("body", "areas")] == "Too many areas: 31; the limit is 30."
    assert got[("body", "areas", 0, "statements")] == "Too many statements: 41; the limit is 40."
    assert got[("body", "areas", 0, "title")] == "Too long: 201 characters; the limit is 200."
    assert got[("body", "areas", 1, "statements", 0)].startswith("Too long: 501 characters")
    assert got[("body", "scale")] == "Too many points on a scale: 11; the limit is 10."
    assert got[("body", "slug")].startswith("Use 1–64 lower-case letters")
    assert len(got) == 6


def test_it_refuses_a_one_point_scale_and_no_areas() -> None:
    data = {**SMALL, "scale": [{"value": 1, "label": "Yes"}], "areas": []}
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    assert messages(caught.value.errors) == (
        "Give at least 2 points on a scale.\nThe instrument needs at least one area."
    )


def test_it_refuses_duplicate_keys() -> None:
    [error] = errors_of(SMALL_YAML + "title: Again\n")
    assert error == {
        "loc": ["body", "title"],
        "msg": "The key 'title' appears twice here; keep one.",
        "line": 19,
    }
    [error] = errors_of('{"slug": "a", "slug": "b"}', "application/json")
    assert "appears twice" in error["msg"]


def test_it_refuses_oversized_documents() -> None:
    padding = "# " + "x" * MAX_BYTES + "\n"
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(SMALL_YAML + padding, "application/yaml")
    assert caught.value.kind == "too_large"
    assert caught.value.errors[0]["msg"].endswith("the limit is 256 KiB.")
    with pytest.raises(InstrumentError):
        parse_instrument(b" " * (MAX_BYTES + 1), "application/json")


def test_it_refuses_yaml_anchors_and_aliases() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}" + f",*{chr(96 + i)}" * 8 + "]\n"
    [error] = errors_of(bomb)
    assert error["msg"].startswith("Anchors and aliases (& and *) are not allowed")
    assert error["line"] == 1
    text = SMALL_YAML.replace("    question:\n", "    question: &q\n")
    [error] = errors_of(text)
    assert error["line"] == 11


@pytest.mark.parametrize(
    ("text", "content_type", "line"),
    [
        ("[" * 21 + "]" * 21, "application/json", None),
        ("[" * 100_000, "application/json", None),
        ('{"a":' * 50_000, "application/json", None),
        ("[" * 30 + "]" * 30, "application/yaml", 1),
        ("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 40)), "text/yaml", 21),
    ],
)
def test_it_refuses_deep_nesting(text: str, content_type: str, line: int | None) -> None:
    [error] = errors_of(text, content_type)
    assert error["msg"] == "The document is nested more than 20 levels deep."
    assert error.get("line") == line


def test_it_accepts_twenty_levels() -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument('{"slug": ' + "[" * 19 + "]" * 19 + "}", "application/json")
    got = {tuple(e["loc"]): e["msg"] for e in caught.value.errors}
    assert got[("body", "slug")] == "Wrong type: expected a string, got a list."


@pytest.mark.parametrize(
    ("text", "content_type", "expected"),
    [
        ("title: [unclosed\n", "application/yaml", r"^This is not valid YAML: .+ \(line 2\)\.$"),
        ("a: b\n  c: d\n", "application/yaml", r"^This is not valid YAML: .+ \(line 2\)\.$"),
        ("a: 1\n---\nb: 2\n", "application/yaml", r"^This is not valid YAML: .+\(line \d\)\.$"),
        ("", "application/yaml", r"^The document is empty\.$"),
        (
            "x: !!python/object:os.system {}\n",
            "application/yaml",
            r"^Tags such as .!!python/object:os.system. are not allowed \(line 1\)\.$",
        ),
        ("x: !custom 1\n", "application/yaml", r"^Tags such as '!custom' are not allowed"),
        ("x: !!binary aGk=\n", "application/yaml", r"^Tags such as '!!binary' are not allowed"),
        ("version: 2024-13-45\n", "application/yaml", r"^This is not valid YAML"),
        ("a: \x00\n", "application/yaml", r"^This is not valid YAML"),
        ('{"slug": ', "application/json", r"^This is not valid JSON: .+ \(line 1, column 10\)\.$"),
        ("", "application/json", r"^This is not valid JSON"),
        ('{"version": ' + "9" * 5000 + "}", "application/json", r"^This is not valid JSON"),
        (b"\xff\xfe", "application/json", r"^The file must be saved as UTF-8 text\.$"),
        ("{}", "text/plain", r"^Send the instrument as JSON"),
    ],
)
def test_it_explains_malformed_documents(
    text: str | bytes, content_type: str, expected: str
) -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text, content_type)
    [error] = caught.value.errors
    assert error["loc"] == ["body"]
    assert re.search(expected, error["msg"]), error["msg"]
    assert caught.value.kind == "malformed"


def test_it_never_runs_yaml_tags_that_construct_objects() -> None:
    text = "slug: !!python/object/apply:os.system ['echo owned']\n"
    with pytest.raises(InstrumentError):
        parse_instrument(text, "application/yaml")


def test_it_accepts_the_standard_yaml_tags() -> None:
    text = SMALL_YAML.replace("label: Sometimes", "label: !!str Yes")
    assert parse_instrument(text, "application/yaml")["scale"][1]["label"] == "Yes"


def test_it_caps_the_number_of_errors() -> None:
    data = {**SMALL, **{f"extra{i}": 1 for i in range(150)}}
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    assert len(caught.value.errors) == 101
    assert caught.value.errors[-1]["msg"] == "…and 50 more problems; fix these first."


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)
KEYS = st.sampled_from(
    [
        "slug",
        "title",
        "version",
        "description",
        "scale",
        "areas",
        "key",
        "question",
        "statements",
        "text",
        "value",
        "label",
        "vocabulary",
        "statments",
    ]  # fmt: skip
)
SHAPED = st.recursive(
    st.none() | st.booleans() | st.integers(-200, 200) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=40,
)


def assert_only_instrument_error(text: str | bytes, content_type: str) -> None:
    try:
        result = parse_instrument(text, content_type)
    except InstrumentError as exc:
        assert exc.errors and all(e["loc"][0] == "body" and e["msg"] for e in exc.errors)
        json.dumps(exc.errors)  # the API sends them as they are
    else:
        assert set(result) == {"slug", "title", "version", "description", "scale", "areas"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(["application/json", "application/yaml"]))
def test_it_raises_only_instrument_error_for_any_text(text: str, content_type: str) -> None:
    assert_only_instrument_error(text, content_type)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["application/json", "text/yaml"]))
def test_it_raises_only_instrument_error_for_any_bytes(raw: bytes, content_type: str) -> None:
    assert_only_instrument_error(raw, content_type)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSONISH | SHAPED)
def test_it_raises_only_instrument_error_for_any_structure(data: Any) -> None:
    assert_only_instrument_error(json.dumps(data), "application/json")
    assert_only_instrument_error(yaml.safe_dump(data), "application/yaml")
    with contextlib.suppress(InstrumentError):
        validate_instrument(data)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_it_raises_only_instrument_error_for_a_mutated_builtin(data: st.DataObject) -> None:
    builtin = load_builtin()
    area = data.draw(st.integers(0, len(builtin["areas"]) - 1))
    field = data.draw(st.sampled_from(["key", "title", "question", "statements", "vocabulary"]))
    builtin["areas"][area][field] = data.draw(SHAPED)
    assert_only_instrument_error(json.dumps(builtin), "application/json")
    assert_only_instrument_error(yaml.safe_dump(builtin), "application/yaml")


def test_it_documents_a_valid_example_in_yaml_and_json() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "instruments.md").read_text()
    blocks = re.findall(r"```(yaml|json)\n(.*?)```", docs, re.DOTALL)
    [full_yaml] = [text for kind, text in blocks if kind == "yaml" and text.startswith("slug:")]
    [full_json] = [text for kind, text in blocks if kind == "json" and '"slug"' in text]
    from_yaml = parse_instrument(full_yaml, "application/yaml")
    assert from_yaml == parse_instrument(full_json, "application/json")
    assert len(from_yaml["areas"]) == 2


def test_it_reports_the_documented_errors() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "instruments.md").read_text()
    full_yaml = re.search(r"```yaml\n(slug:.*?)```", docs, re.DOTALL).group(1)
    lines = full_yaml.splitlines(keepends=True)
    lines[7] = lines[7].replace("value: 3", "value: 2")
    lines[11] += "    colour: green\n"
    broken = "".join(lines).replace("title: Recording results", 'title: ""')
    broken = broken.replace("    statements:\n      - I give", "    statments:\n      - I give")
    documented = re.search(r'"errors": (\[.*?\n  \])', docs, re.DOTALL).group(1)
    assert errors_of(broken) == json.loads(documented)
