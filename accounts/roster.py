"""Reading a team's members from pasted lines or an uploaded CSV, with an error per line."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_MEMBERS = 500
MAX_NAME = 200
_ANGLE = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s*$")


@dataclass(frozen=True)
class RosterEntry:
    name: str
    email: str


@dataclass(frozen=True)
class RosterError:
    line: int
    msg: str


def _entry(name: str, email: str, line: int) -> RosterEntry | RosterError:
    name, email = " ".join(name.split()), email.strip().lower()
    if not name:
        return RosterError(line, "A name is missing.")
    if len(name) > MAX_NAME:
        return RosterError(line, f"The name is longer than {MAX_NAME} characters.")
    if any(unicodedata.category(c) == "Cc" for c in name):
        return RosterError(line, "The name contains a control character.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return RosterError(line, f"'{email}' is not an e-mail address.")
    return RosterEntry(name, email)


def _split_line(text: str) -> tuple[str, str]:
    """'Name <email>', 'Name, email', 'Name<TAB>email' or just 'Name'."""
    match = _ANGLE.match(text)
    if match:
        return match["name"].strip(" ,;\"'"), match["email"]
    for sep in ("\t", ",", ";"):
        if sep in text:
            name, _, email = text.rpartition(sep)
            return name.strip(" \"'"), email.strip(" \"'")
    if "@" in text.split()[-1]:
        *names, email = text.split()
        return " ".join(names), email
    return text, ""


def _check(
    entries: list[tuple[int, str, str]], existing: Collection[str] = ()
) -> tuple[list[RosterEntry], list[RosterError]]:
    good: list[RosterEntry] = []
    errors: list[RosterError] = []
    seen: dict[str, int] = {}
    for line, name, email in entries:
        result = _entry(name, email, line)
        if isinstance(result, RosterError):
            errors.append(result)
            continue
        if result.email and result.email in existing:
            errors.append(RosterError(line, f"{result.email} is already in the team."))
            continue
        if result.email and result.email in seen:
            errors.append(
                RosterError(line, f"{result.email} is also on line {seen[result.email]}.")
            )
            continue
        if result.email:
            seen[result.email] = line
        good.append(result)
    if len(good) + len(errors) > MAX_MEMBERS:
        errors.append(RosterError(0, f"At most {MAX_MEMBERS} members can be added at once."))
    return good, errors


def parse_pasted(
    text: str, existing: Collection[str] = ()
) -> tuple[list[RosterEntry], list[RosterError]]:
    """One member per line. Blank lines are skipped. `existing`: e-mails already in the team."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            name, email = _split_line(raw.strip())
            rows.append((number, name, email))
    return _check(rows, existing)


def parse_csv(
    data: bytes, existing: Collection[str] = ()
) -> tuple[list[RosterEntry], list[RosterError]]:
    """A CSV with a header row naming a `name` column (or first/last name) and `email`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RosterError(0, "The file is not UTF-8 text. Save it as 'CSV UTF-8' and retry.")]
    try:
        reader = csv.reader(io.StringIO(text))
        fieldnames = next((row for row in reader if row), [])
        headers = {(h or "").strip().lower(): h for h in fieldnames}
    except csv.Error as exc:
        return [], [RosterError(1, f"The file could not be read as CSV: {exc}.")]
    name_col = next((headers[h] for h in ("name", "full name", "teacher") if h in headers), None)
    first = next((headers[h] for h in ("first name", "forename", "first") if h in headers), None)
    last = next((headers[h] for h in ("last name", "surname", "last") if h in headers), None)
    email_col = next(
        (headers[h] for h in ("email", "e-mail", "email address") if h in headers), None
    )
    if not name_col and not (first and last):
        return [], [
            RosterError(
                1,
                "The first row must name a 'name' column "
                "(or 'first name' and 'last name'), and optionally 'email'.",
            )
        ]
    rows = []
    try:
        while True:
            # Errors name the line a record starts on, counting blank lines and line breaks
            # inside quoted cells.
            number = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            row = dict(zip(fieldnames, values, strict=False))
            if name_col:
                name = row.get(name_col) or ""
            else:
                name = f"{row.get(first) or ''} {row.get(last) or ''}"
            email = (row.get(email_col) or "") if email_col else ""
            if name.strip() or email.strip():
                rows.append((number, name, email))
    except csv.Error as exc:
        return [], [RosterError(reader.line_num, f"The file could not be read as CSV: {exc}.")]
    return _check(rows, existing)
