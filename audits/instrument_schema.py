"""Audit instruments: parse and validate the import format (YAML or JSON). Pure Python, no Django.

``parse_instrument`` turns an uploaded document into the normalised dict that
``validate_instrument`` returns; every problem found is reported at once through
``InstrumentError``. The format is documented for schools in docs/instruments.md.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
MAX_ERRORS = 100
JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/yaml", "text/yaml", "application/x-yaml"})
BUILTIN_PATH = Path(__file__).parent / "instruments" / "adaptive-teaching.yaml"

Loc = tuple[Any, ...]  # a path below "body": ("areas", 3, "statements", 0, "text")
Lines = dict[Loc, int]

TOO_DEEP = f"The document is nested more than {MAX_DEPTH} levels deep."
NO_ALIASES = "Anchors and aliases (& and *) are not allowed; write the content out in full."
_STD = "tag:yaml.org,2002:"  # YAML's own tags, written !!str, !!int and so on
_PLAIN_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_POINT = "a point with a value and a label, like {value: 1, label: Rarely}"
_NAME = re.compile(r"[a-z0-9-]{1,64}")
_MISSING = {
    "areas": "The instrument needs at least one area.",
    "statements": "Each area needs at least one statement.",
    "question": "Each area needs a department-level question.",
    "scale": "The instrument needs a rating scale: a list of points, each with value and label.",
}
_KINDS = [(type(None), "nothing"), (bool, "true/false"), (int, "a whole number"),
          (float, "a decimal number"), (str, "a string"), (dict, "a mapping"), (list, "a list"),
          (tuple, "a list"), (datetime.date, "a date"), (bytes, "binary data")]  # fmt: skip


class InstrumentError(Exception):
    """Every problem found in one document.

    ``errors`` is a list of ``{"loc": ["body", ...], "msg": str, "line": int}`` (``line`` only for
    YAML, 1-based). ``kind`` is "too_large" (answer 413), "malformed" (the document could not be
    read as JSON/YAML at all: 400) or "invalid" (it was read but breaks the rules: 422).
    """

    def __init__(self, errors: list[dict[str, Any]], kind: str = "invalid") -> None:
        super().__init__("; ".join(e["msg"] for e in errors[:3]))
        self.errors = errors
        self.kind = kind


def parse_instrument(text: str | bytes, content_type: str) -> dict[str, Any]:
    """Parse a JSON or YAML instrument and return ``validate_instrument``'s normalised dict.

    ``content_type`` is "application/json", or "application/yaml" ("text/yaml" and
    "application/x-yaml" too); parameters such as "; charset=utf-8" are ignored. Documents over
    256 KiB, YAML anchors/aliases and nesting deeper than 20 are refused. Raises only
    ``InstrumentError``, whatever the input.
    """
    media = content_type.split(";")[0].strip().lower() if isinstance(content_type, str) else ""
    if media not in JSON_TYPES | YAML_TYPES:
        raise _fail("Send the instrument as JSON (application/json) or YAML (application/yaml).")
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _fail(f"The file is {size / 1024:.0f} KiB; the limit is 256 KiB.", "too_large")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail("The file must be saved as UTF-8 text.") from None
    if media in JSON_TYPES:
        return _validate(_read_json(text), None, [])
    return _validate(*_read_yaml(text))


def validate_instrument(data: Any, lines: Lines | None = None) -> dict[str, Any]:
    """Check parsed data against the rules and return it normalised, or raise ``InstrumentError``.

    ``lines`` maps a path without "body" (e.g. ``("areas", 3, "title")``) to its 1-based line.
    Returns ``{slug, title, version, description, scale: [{value, label}], areas: [{key, title,
    description, vocabulary: [str], question: {text, scale?}, statements: [{text, scale?}]}]}``;
    texts are stripped, ``scale`` appears on a question or statement only when it overrides the
    instrument's. Ids are not part of the format: the app assigns them.
    """
    return _validate(data, lines, [])


@functools.cache
def _builtin() -> dict[str, Any]:
    return parse_instrument(BUILTIN_PATH.read_bytes(), "application/yaml")


def load_builtin() -> dict[str, Any]:
    """The validated built-in "Adaptive teaching practice audit" (a fresh copy on each call)."""
    return copy.deepcopy(_builtin())


def _fail(msg: str, kind: str = "malformed", line: int | None = None) -> InstrumentError:
    error: dict[str, Any] = {"loc": ["body"], "msg": msg}
    if line is not None:
        error["line"] = line
    return InstrumentError([error], kind)


def _validate(data: Any, lines: Lines | None, problems: list[dict[str, Any]]) -> dict[str, Any]:
    checker = _Checker(lines)
    checker.errors.extend(problems)  # found while reading, e.g. duplicate YAML keys
    result = checker.instrument(data)
    checker.errors.sort(key=lambda error: error.get("line", 0))  # YAML: in document order
    if len(checker.errors) > MAX_ERRORS:
        more = len(checker.errors) - MAX_ERRORS
        stop = {"loc": ["body"], "msg": f"…and {more} more problems; fix these first."}
        checker.errors[MAX_ERRORS:] = [stop]
    if checker.errors:
        raise InstrumentError(checker.errors)
    return result


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _ in pairs}) < len(pairs):
        raise ValueError("a key appears twice in one object")
    return dict(pairs)


def _read_json(text: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        msg = f"This is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        raise _fail(msg) from None
    except RecursionError:
        raise _fail(TOO_DEEP) from None
    except ValueError as exc:  # duplicate keys, integers too long to convert
        raise _fail(f"This is not valid JSON: {exc}.") from None
    stack = [(data, 1)]
    while stack:  # iterative: the point is to refuse deep nesting without recursing into it
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _fail(TOO_DEEP)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return data


def _read_yaml(text: str) -> tuple[Any, Lines, list[dict[str, Any]]]:
    """Compose with SafeLoader and build plain data, recording the line of every key and item."""
    try:
        depth = 0  # one cheap pass over the events refuses aliases and deep nesting up front
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _fail(NO_ALIASES, "invalid", line)
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _PLAIN_TAGS:  # !!python/..., !!binary, !custom
                short = tag.replace(_STD, "!!")
                raise _fail(f"Tags such as '{short}' are not allowed (line {line}).", line=line)
            depth += isinstance(event, yaml.CollectionStartEvent)
            depth -= isinstance(event, yaml.CollectionEndEvent)
            if depth > MAX_DEPTH:
                raise _fail(TOO_DEEP, line=line)
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                raise _fail("The document is empty.")
            lines: Lines = {(): root.start_mark.line + 1}
            problems: list[dict[str, Any]] = []
            return _build(loader, root, (), lines, problems), lines, problems
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. 2024-13-45 as a date
        mark = getattr(exc, "problem_mark", None)
        if mark is None:  # a ReaderError (control character) or a value that cannot be built
            raise _fail(f"This is not valid YAML: {getattr(exc, 'reason', None) or exc}.") from None
        reason = getattr(exc, "problem", None) or "unreadable content"
        raise _fail(
            f"This is not valid YAML: {reason} (line {mark.line + 1}).", line=mark.line + 1
        ) from None


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: Loc, lines: Lines, problems: list
) -> Any:
    if isinstance(node, yaml.SequenceNode):
        items = list(enumerate(node.value))
        lines.update({(*path, i): item.start_mark.line + 1 for i, item in items})
        return [_build(loader, item, (*path, i), lines, problems) for i, item in items]
    if not isinstance(node, yaml.MappingNode):
        return loader.construct_object(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                {"loc": ["body", *path], "msg": "Keys must be plain names.", "line": line}
            )
            continue
        key = key_node.value
        if key in out:
            msg = f"The key '{key}' appears twice here; keep one."
            problems.append({"loc": ["body", *path, key], "msg": msg, "line": line})
        else:
            lines[(*path, key)] = line
            out[key] = _build(loader, value_node, (*path, key), lines, problems)
    return out


class _Checker:
    """Collects every error while walking the data; each check returns None for a bad value."""

    def __init__(self, lines: Lines | None) -> None:
        self.lines = lines or {}
        self.errors: list[dict[str, Any]] = []

    def fail(self, loc: Loc, msg: str) -> None:
        error: dict[str, Any] = {"loc": ["body", *loc], "msg": msg}
        for end in range(len(loc), -1, -1):  # the nearest enclosing key that has a line
            if loc[:end] in self.lines:
                error["line"] = self.lines[loc[:end]]
                break
        self.errors.append(error)

    def wrong_type(self, value: Any, loc: Loc, expected: str) -> None:
        got = next((name for cls, name in _KINDS if isinstance(value, cls)), "an unknown value")
        hint = ""
        if expected == "a string" and isinstance(value, bool | int | float | datetime.date):
            hint = " Put it in quotes (in YAML, words like Yes, No, On and Off need quotes too)."
        self.fail(loc, f"Wrong type: expected {expected}, got {got}.{hint}")

    def field(self, data: dict, key: str, loc: Loc, check: Callable[..., Any], *args: Any) -> Any:
        """``check(data[key], loc + (key,), *args)``, or None when the key is absent."""
        return check(data[key], (*loc, key), *args) if key in data else None

    def mapping(
        self, value: Any, loc: Loc, required: set[str], optional: set[str], expected: str = ""
    ) -> dict | None:
        if not isinstance(value, dict):
            self.wrong_type(value, loc, expected or "a mapping of keys to values")
            return None
        allowed = sorted(required | optional)
        for key in value:
            if key not in allowed:
                name = str(key)
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = (
                    f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(allowed)}."
                )
                self.fail((*loc, name), f"Unknown key '{name}' — {hint}")
        for key in sorted(required - set(value)):
            self.fail((*loc, key), _MISSING.get(key, f"Add the required key '{key}'."))
        return value

    def text(self, value: Any, loc: Loc, limit: int, minimum: int = 1) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(value, loc, "a string")
        elif len(value.strip()) < minimum:
            self.fail(loc, "Must not be empty.")
        elif len(value.strip()) > limit:
            self.fail(loc, f"Too long: {len(value.strip())} characters; the limit is {limit}.")
        else:
            return value.strip()
        return None

    def integer(self, value: Any, loc: Loc, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(value, loc, "a whole number")
        elif not low <= value <= high:
            self.fail(loc, f"Must be a whole number from {low} to {high}.")
        else:
            return value
        return None

    def items(self, value: Any, loc: Loc, low: int, high: int, noun: str) -> list[tuple[int, Any]]:
        if not isinstance(value, list | tuple):
            self.wrong_type(value, loc, "a list")
            return []
        if len(value) < low:
            self.fail(loc, _MISSING[loc[-1]] if low == 1 else f"Give at least {low} {noun}.")
        elif len(value) > high:
            self.fail(loc, f"Too many {noun}: {len(value)}; the limit is {high}.")
        return list(enumerate(value[:high]))  # beyond the limit, no point listing more errors

    def name(self, value: Any, loc: Loc, example: str) -> str | None:
        if isinstance(value, str) and not _NAME.fullmatch(value):
            self.fail(loc, f"Use 1–64 lower-case letters a–z, digits and hyphens, e.g. {example}.")
            return None
        return self.text(value, loc, 64)

    def scale(self, value: Any, loc: Loc) -> list[dict[str, Any]]:
        points, previous = [], None
        for i, point in self.items(value, loc, 2, 10, "points on a scale"):
            data = self.mapping(point, (*loc, i), {"value", "label"}, set(), _POINT)
            if data is not None:
                number = self.field(data, "value", (*loc, i), self.integer, -100, 100)
                label = self.field(data, "label", (*loc, i), self.text, 40)
                if number is not None and previous is not None and number <= previous:
                    msg = f"Values must go up, point by point: {number} comes after {previous}."
                    if number == previous:
                        msg = f"The value {number} is used twice; give each point its own value."
                    self.fail((*loc, i, "value"), msg)
                previous = previous if number is None else number
                points.append({"value": number, "label": label})
        return points

    def item(self, value: Any, loc: Loc) -> dict[str, Any]:
        """A question or statement: a mapping {text, scale?}, or just its text as a string."""
        if isinstance(value, str):
            return {"text": self.text(value, loc, 500)}
        data = self.mapping(value, loc, {"text"}, {"scale"}, "a string or a mapping with 'text'")
        if data is None:
            return {}
        out = {"text": self.field(data, "text", loc, self.text, 500)}
        if "scale" in data:
            out["scale"] = self.scale(data["scale"], (*loc, "scale"))
        return out

    def area(self, value: Any, loc: Loc) -> dict[str, Any]:
        required = {"key", "title", "question", "statements"}
        data = self.mapping(value, loc, required, {"description", "vocabulary"})
        if data is None:
            return {}
        terms = self.items(data.get("vocabulary", []), (*loc, "vocabulary"), 0, 50, "terms")
        statements = self.field(data, "statements", loc, self.items, 1, 40, "statements") or []
        return {
            "key": self.field(data, "key", loc, self.name, "checking-understanding"),
            "title": self.field(data, "title", loc, self.text, 200),
            "description": self.text(data.get("description", ""), (*loc, "description"), 1000, 0),
            "vocabulary": [self.text(term, (*loc, "vocabulary", i), 60) for i, term in terms],
            "question": self.field(data, "question", loc, self.item),
            "statements": [self.item(s, (*loc, "statements", i)) for i, s in statements],
        }

    def instrument(self, data: Any) -> dict[str, Any]:
        required = {"slug", "title", "scale", "areas"}
        top = self.mapping(data, (), required, {"version", "description"})
        if top is None:
            return {}
        result = {
            "slug": self.field(top, "slug", (), self.name, "science-practice"),
            "title": self.field(top, "title", (), self.text, 200),
            "version": self.integer(top.get("version", 1), ("version",), 1, 1_000_000),
            "description": self.text(top.get("description", ""), ("description",), 2000, 0),
            "scale": self.field(top, "scale", (), self.scale),
        }
        areas = self.field(top, "areas", (), self.items, 1, 30, "areas") or []
        result["areas"] = [self.area(area, ("areas", i)) for i, area in areas]
        seen: set[str] = set()
        for i, area in enumerate(result["areas"]):
            if area.get("key") in seen:
                msg = f"Another area already uses the key '{area['key']}'."
                self.fail(("areas", i, "key"), msg)
            elif area.get("key"):
                seen.add(area["key"])
        return result
