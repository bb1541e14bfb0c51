"""The guide's content: units, steps and questions, read from YAML files and validated on load.

A school or trust can replace the whole folder (the GUIDE_CONTENT_DIR setting). Every problem in
every file is reported at once, each naming the file, the key and the line, so whoever edits the
files can fix them in one pass. docs/guide.md describes the format.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from guide.course import Action, Checkpoint, Choice, Guide, Question, QuestionKind, Step, Unit
from guide.links import TARGETS
from guide.milestones import MILESTONES

BUILTIN_DIR = Path(__file__).resolve().parent / "content"
MAX_FILE_BYTES = 256 * 1024
MAX_CHOICES = 8
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
# Used in URLs beside step ids (/guide/<unit>/checkpoint/), so no step may take it.
RESERVED_STEP_IDS = frozenset({"checkpoint"})

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        return f"{where}, {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class GuideContentError(Exception):
    """Every problem found in the content folder, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- Reading YAML while remembering lines ----------------------------------------------------


def _describe(value: Any) -> str:
    for kind, name in ((bool, "true/false"), (int, "a number"), (float, "a number"),
                       (str, "text"), (dict, "a mapping"), (list, "a list")):  # fmt: skip
        if isinstance(value, kind):
            return name
    return "nothing" if value is None else type(value).__name__


def _plain(node: yaml.Node, loc: Loc, lines: dict[Loc, int], dupes: list[tuple[Loc, int]]):
    """The node as plain Python, recording each value's line (1-based) and duplicate keys."""
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, (*loc, "?"), {}, dupes)
            key = key if isinstance(key, str) else str(key)
            line = key_node.start_mark.line + 1
            if key in result:
                dupes.append(((*loc, key), line))
                continue
            lines[(*loc, key)] = line
            result[key] = _plain(value_node, (*loc, key), lines, dupes)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*loc, i), lines, dupes) for i, item in enumerate(node.value)]
    return yaml.constructor.SafeConstructor().construct_object(node)


def _key_name(loc: Loc) -> str:
    """steps[3].question.choices[2].text — list positions counted from 1, as people count."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Checker:
    """Validates one file's plain data, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, lines: dict[Loc, int]) -> None:
        self.file, self.lines, self.problems = file, lines, []

    def problem(self, loc: Loc, message: str) -> None:
        line = None
        for depth in range(len(loc), -1, -1):  # the nearest enclosing value that has a line
            line = self.lines.get(loc[:depth])
            if line:
                break
        self.problems.append(Problem(self.file, line, _key_name(loc), message))

    def mapping(self, value: Any, loc: Loc, required: set[str], optional: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(loc, f"must be a mapping of keys and values, not {_describe(value)}.")
            return None
        allowed = required | optional
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.problem(
                    (*loc, key), f"unknown key.{hint} Allowed: {', '.join(sorted(allowed))}."
                )
        for key in sorted(required - value.keys()):
            self.problem(loc, f"missing required key '{key}'.")
        return value

    def text(self, data: dict, key: str, loc: Loc, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if key not in data:
            return ""  # already reported as missing
        if not isinstance(value, str) or not value.strip():
            self.problem((*loc, key), f"must be some text, not {_describe(value)}.")
            return ""
        return value.strip()

    def ident(self, data: dict, key: str, loc: Loc) -> str:
        value = data.get(key)
        if key in data and (not isinstance(value, str) or not ID_PATTERN.fullmatch(value)):
            self.problem(
                (*loc, key),
                f"must be a short id of lower-case letters, digits and hyphens, not {value!r}.",
            )
            return ""
        return value or ""

    def whole_number(self, data: dict, key: str, loc: Loc, low: int, high: int, default=None):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            if key in data:
                self.problem(
                    (*loc, key), f"must be a whole number from {low} to {high}, not {value!r}."
                )
            return default or low
        return value

    def items(self, data: dict, key: str, loc: Loc) -> list:
        value = data.get(key)
        if key in data and (not isinstance(value, list) or not value):
            self.problem(
                (*loc, key), f"must be a list with at least one item, not {_describe(value)}."
            )
            return []
        return value or []


# --- The content schema ----------------------------------------------------------------------


def _question(c: _Checker, raw: Any, loc: Loc, key: str, *, with_id: bool) -> Question | None:
    required = {"kind", "text", "explanation"} | ({"id"} if with_id else set())
    data = c.mapping(raw, loc, required, {"answer", "choices", "hint"})
    if data is None:
        return None
    before = len(c.problems)
    kind_raw = data.get("kind")
    try:
        kind = QuestionKind(kind_raw)
    except ValueError:
        if "kind" in data:
            c.problem(
                (*loc, "kind"), f"must be one of true_false, single, multiple, not {kind_raw!r}."
            )
        kind = None
    text = c.text(data, "text", loc)
    explanation = c.text(data, "explanation", loc)
    hint = c.text(data, "hint", loc, required=False)
    choices: list[Choice] = []
    if kind == QuestionKind.TRUE_FALSE:
        answer = data.get("answer")
        if not isinstance(answer, bool):
            c.problem((*loc, "answer"), f"must be true or false, not {_describe(answer)}.")
        if "choices" in data:
            c.problem((*loc, "choices"), "a true_false question has 'answer', not 'choices'.")
        choices = [
            Choice("true", "True", answer is True),
            Choice("false", "False", answer is False),
        ]
    elif kind is not None:
        if "answer" in data:
            c.problem(
                (*loc, "answer"), f"a {kind} question marks its 'choices' as correct instead."
            )
        raw_choices = c.items(data, "choices", loc)
        if "choices" not in data:
            c.problem(loc, "missing required key 'choices'.")
        elif raw_choices and not 2 <= len(raw_choices) <= MAX_CHOICES:
            c.problem((*loc, "choices"), f"needs from 2 to {MAX_CHOICES} choices.")
        for i, raw_choice in enumerate(raw_choices[:MAX_CHOICES]):
            choice_loc = (*loc, "choices", i)
            choice = c.mapping(raw_choice, choice_loc, {"text"}, {"correct"})
            if choice is None:
                continue
            correct = choice.get("correct", False)
            if not isinstance(correct, bool):
                c.problem((*choice_loc, "correct"), f"must be true or false, not {correct!r}.")
            choices.append(
                Choice("abcdefgh"[i], c.text(choice, "text", choice_loc), correct is True)
            )
        right = sum(ch.correct for ch in choices)
        if raw_choices and kind == QuestionKind.SINGLE and right != 1:
            c.problem(
                (*loc, "choices"),
                f"a single-choice question needs exactly one correct choice, not {right}.",
            )
        if raw_choices and kind == QuestionKind.MULTIPLE and right < 1:
            c.problem(
                (*loc, "choices"), "a multiple-choice question needs at least one correct choice."
            )
    if len(c.problems) > before or kind is None:
        return None
    return Question(key, kind, text, tuple(choices), explanation, hint)


def _step(c: _Checker, raw: Any, loc: Loc, unit_id: str, number: int) -> Step | None:
    data = c.mapping(
        raw, loc, {"id", "title", "minutes", "what", "why", "question"}, {"action", "done_when"}
    )
    if data is None:
        return None
    before = len(c.problems)
    step_id = c.ident(data, "id", loc)
    if step_id in RESERVED_STEP_IDS:
        c.problem((*loc, "id"), f"'{step_id}' is reserved; choose another id.")
    title = c.text(data, "title", loc)
    minutes = c.whole_number(data, "minutes", loc, 1, 600)
    what, why = c.text(data, "what", loc), c.text(data, "why", loc)
    action = None
    if "action" in data:
        raw_action = c.mapping(data["action"], (*loc, "action"), {"label", "target"}, set())
        if raw_action is not None:
            target = raw_action.get("target")
            if "target" in raw_action and target not in TARGETS:
                c.problem(
                    (*loc, "action", "target"),
                    f"must be one of {', '.join(TARGETS)}, not {target!r}.",
                )
            action = Action(c.text(raw_action, "label", (*loc, "action")), str(target))
    done_when = data.get("done_when")
    if done_when is not None and done_when not in MILESTONES:
        c.problem(
            (*loc, "done_when"), f"must be one of {', '.join(MILESTONES)}, not {done_when!r}."
        )
    question = None
    if "question" in data:
        question = _question(
            c, data["question"], (*loc, "question"), f"step:{step_id}", with_id=False
        )
    if len(c.problems) > before or question is None:
        return None
    line = c.lines.get((*loc, "id"), 0)
    return Step(
        step_id, unit_id, number, title, minutes, what, why, question, action, done_when, line
    )


def _unit(c: _Checker, raw: Any, number: int) -> Unit | None:
    data = c.mapping(raw, (), {"id", "title", "steps", "checkpoint"}, {"summary"})
    if data is None:
        return None
    before = len(c.problems)
    unit_id = c.ident(data, "id", ())
    title, summary = c.text(data, "title", ()), c.text(data, "summary", (), required=False)
    steps = []
    for i, raw_step in enumerate(c.items(data, "steps", ())):
        steps.append(_step(c, raw_step, ("steps", i), unit_id, i + 1))
    checkpoint = None
    if "checkpoint" in data:
        quiz = c.mapping(data["checkpoint"], ("checkpoint",), {"questions"}, {"pass_mark"})
        if quiz is not None:
            pass_mark = c.whole_number(quiz, "pass_mark", ("checkpoint",), 1, 100, default=80)
            questions, seen = [], set()
            for i, raw_q in enumerate(c.items(quiz, "questions", ("checkpoint",))):
                loc = ("checkpoint", "questions", i)
                qid = c.ident(raw_q, "id", loc) if isinstance(raw_q, dict) else ""
                if qid and qid in seen:
                    c.problem((*loc, "id"), f"duplicate question id '{qid}' in this checkpoint.")
                seen.add(qid)
                questions.append(_question(c, raw_q, loc, f"quiz:{unit_id}:{qid}", with_id=True))
            checkpoint = Checkpoint(pass_mark, tuple(questions))
    if len(c.problems) > before or checkpoint is None:
        return None
    line = c.lines.get(("id",), 0)
    return Unit(unit_id, number, title, summary, tuple(steps), checkpoint, c.file, line)


def parse_unit(text: str, file: str, number: int = 1) -> Unit:
    """One unit from one YAML document; raises GuideContentError listing every problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise GuideContentError(
            [Problem(file, line, "", f"this is not valid YAML ({reason}).")]
        ) from None
    if node is None:
        raise GuideContentError([Problem(file, None, "", "the file is empty.")])
    lines: dict[Loc, int] = {}
    dupes: list[tuple[Loc, int]] = []
    data = _plain(node, (), lines, dupes)
    checker = _Checker(file, lines)
    for loc, line in dupes:
        checker.problems.append(
            Problem(file, line, _key_name(loc), "duplicate key: it appears more than once here.")
        )
    unit = _unit(checker, data, number)
    if checker.problems or unit is None:
        raise GuideContentError(checker.problems)
    return unit


def _content_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_guide(folder: Path | str) -> Guide:
    """Every unit in the folder, in file-name order; raises GuideContentError listing every
    problem in every file, including ids used twice across files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GuideContentError(
            [Problem(str(folder), None, "", "the guide folder does not exist.")]
        )
    files = _content_files(folder)
    if not files:
        raise GuideContentError(
            [Problem(str(folder), None, "", "the folder has no .yaml unit files.")]
        )
    problems: list[Problem] = []
    units: list[Unit] = []
    for path in files:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(path.name, None, "", "the file is larger than 256 KiB."))
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            units.append(parse_unit(text, path.name, len(units) + 1))
        except UnicodeDecodeError:
            problems.append(Problem(path.name, None, "", "the file must be saved as UTF-8 text."))
        except GuideContentError as error:
            problems.extend(error.problems)
    problems.extend(_duplicates_across_files(units))
    if problems:
        raise GuideContentError(problems)
    return Guide(tuple(units), str(folder))


def _duplicates_across_files(units: list[Unit]) -> list[Problem]:
    """Unit ids and step ids are used in URLs and saved progress: each must be unique."""
    problems, unit_seen, step_seen = [], {}, {}
    for unit in units:
        if unit.id in unit_seen:
            where = unit_seen[unit.id]
            message = f"duplicate unit id '{unit.id}' (also in {where})."
            problems.append(Problem(unit.source, unit.line, "id", message))
        unit_seen.setdefault(unit.id, unit.source)
        for step in unit.steps:
            if step.id in step_seen:
                where = step_seen[step.id]
                message = f"duplicate step id '{step.id}' (also in {where})."
                key = f"steps[{step.number}].id"
                problems.append(Problem(unit.source, step.line, key, message))
            step_seen.setdefault(step.id, unit.source)
    return problems


def content_dir() -> Path:
    return Path(getattr(settings, "GUIDE_CONTENT_DIR", "") or BUILTIN_DIR)


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str, _stamp: tuple) -> Guide:
    return load_guide(folder)


def current_guide() -> Guide:
    """The guide from GUIDE_CONTENT_DIR, re-read when a file there changes (no restart needed)."""
    folder = content_dir()
    try:
        stamp = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _content_files(folder)
        )
    except OSError:
        stamp = ()
    return _load_cached(str(folder), stamp)
