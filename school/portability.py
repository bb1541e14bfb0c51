"""A school's data, whole, as one JSON document: `flipchart export` and `flipchart import`.

The format (FORMAT, version VERSION) is a JSON object:

    {"format": "flipchart-school-export", "version": 1, "exported_at": "...",
     "school": {"id", "name", "created"},
     "builtin_instruments": [{"id", "slug", "version", "items": [{"id", "area", "position"}]}],
     "users": [...], "teams": [...], ... one list per table in TABLES, in that order}

Each row has its `id` in the exporting installation and one key per field; a reference to
another row holds that row's `id` (`null` when empty). On import every row gets a new id and
references are remapped. The built-in instrument is not copied: rounds refer to it by slug
and version, and its statements by area key and position.

What is left out, on purpose: API tokens (a script's secret; issue new ones after moving),
installation-wide flags (is_staff, is_superuser), sessions. What is kept although sensitive:
leaders' password hashes (so they can sign in after a move; a hash is not the password) and
invitation nonces and digests (personal links keep working only if the new installation has
the same SECRET_KEY; otherwise leaders share new links).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import Member, School, Team, User
from audits.instruments import BUILTIN_SLUG, builtin_instrument
from audits.models import Answer, Area, Audit, Instrument, Invitation, Item, Response
from board.models import Action, Board, Event, Match, Note

FORMAT = "flipchart-school-export"
VERSION = 1
MAX_ERRORS = 20


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    refs: dict[str, str]  # foreign key → the table its ids come from
    rows: Callable[[School], models.QuerySet]
    optional_refs: frozenset[str] = frozenset()
    school_field: bool = False  # the row belongs to the school directly (set on import)


TABLES: tuple[Table, ...] = (
    Table(
        "users",
        User,
        ("email", "name", "role", "password", "is_active", "date_joined", "last_login"),
        {},
        lambda s: User.objects.filter(school=s),
        school_field=True,
    ),
    Table(
        "teams",
        Team,
        ("name", "kind", "created"),
        {"leader": "users"},
        lambda s: Team.objects.filter(school=s),
        school_field=True,
    ),
    Table(
        "members",
        Member,
        ("name", "email", "created", "removed"),
        {"team": "teams"},
        lambda s: Member.objects.filter(team__school=s),
    ),
    Table(
        "instruments",
        Instrument,
        ("slug", "title", "description", "version", "scale", "created"),
        {},
        lambda s: Instrument.objects.filter(school=s),
        school_field=True,
    ),
    Table(
        "areas",
        Area,
        ("key", "title", "description", "vocabulary", "position"),
        {"instrument": "instruments"},
        lambda s: Area.objects.filter(instrument__school=s),
    ),
    Table(
        "items",
        Item,
        ("kind", "text", "scale", "position"),
        {"area": "areas"},
        lambda s: Item.objects.filter(area__instrument__school=s),
    ),
    Table(
        "audits",
        Audit,
        (
            "title",
            "anonymous",
            "status",
            "closes_at",
            "meeting_starts_at",
            "meeting_ends_at",
            "meeting_location",
            "created",
            "closed_at",
        ),
        {"team": "teams", "instrument": "instruments"},
        lambda s: Audit.objects.filter(team__school=s),
    ),
    Table(
        "invitations",
        Invitation,
        ("nonce", "digest", "created", "revoked", "sent", "reminded", "opened"),
        {"audit": "audits", "member": "members"},
        lambda s: Invitation.objects.filter(audit__team__school=s),
    ),
    Table(
        "responses",
        Response,
        ("submitted", "updated", "support_areas"),
        {"audit": "audits", "member": "members"},
        lambda s: Response.objects.filter(audit__team__school=s),
    ),
    Table(
        "answers",
        Answer,
        ("rating", "comment", "updated"),
        {"response": "responses", "item": "items"},
        lambda s: Answer.objects.filter(response__audit__team__school=s),
    ),
    Table(
        "boards",
        Board,
        ("phase", "locked", "seq", "timer_ends_at", "theme_labels", "updated"),
        {"audit": "audits"},
        lambda s: Board.objects.filter(audit__team__school=s),
    ),
    Table(
        "notes",
        Note,
        (
            "chart",
            "text",
            "area",
            "client_id",
            "theme",
            "hidden",
            "seq",
            "created",
            "updated",
            "deleted",
        ),
        {"board": "boards", "author_member": "members", "author_user": "users"},
        lambda s: Note.objects.filter(board__audit__team__school=s),
        optional_refs=frozenset({"author_member", "author_user"}),
    ),
    Table(
        "events",
        Event,
        ("seq", "type", "payload", "created"),
        {"board": "boards", "note": "notes"},
        lambda s: Event.objects.filter(board__audit__team__school=s),
        optional_refs=frozenset({"note"}),
    ),
    Table(
        "matches",
        Match,
        ("score", "reason", "mentor_consent", "learner_consent", "created"),
        {
            "board": "boards",
            "improvement_note": "notes",
            "strength_note": "notes",
            "mentor": "members",
        },
        lambda s: Match.objects.filter(board__audit__team__school=s),
        optional_refs=frozenset({"strength_note"}),
    ),
    Table(
        "actions",
        Action,
        ("kind", "title", "theme", "area", "owner", "due", "note", "status", "created", "updated"),
        {"board": "boards", "match": "matches"},
        lambda s: Action.objects.filter(board__audit__team__school=s),
        optional_refs=frozenset({"match"}),
    ),
)


# --- export ----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export_school(school: School) -> dict:
    """Everything the school owns, as plain JSON-ready data (see the module docstring)."""
    data: dict = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "school": {"id": school.id, "name": school.name, "created": _plain(school.created)},
        "builtin_instruments": _builtin_instruments(school),
    }
    for table in TABLES:
        columns = ["id", *table.fields, *(f"{ref}_id" for ref in table.refs)]
        rows = []
        for values in table.rows(school).order_by("pk").values(*columns):
            row = {"id": values["id"]}
            row.update({f: _plain(values[f]) for f in table.fields})
            row.update({ref: values[f"{ref}_id"] for ref in table.refs})
            rows.append(row)
        data[table.name] = rows
    return data


def _builtin_instruments(school: School) -> list[dict]:
    used = Instrument.objects.filter(school__isnull=True, audits__team__school=school).distinct()
    out = []
    for instrument in used.order_by("pk"):
        items = Item.objects.filter(area__instrument=instrument).order_by("pk")
        out.append(
            {
                "id": instrument.id,
                "slug": instrument.slug,
                "version": instrument.version,
                "items": [
                    {"id": i["id"], "area": i["area__key"], "position": i["position"]}
                    for i in items.values("id", "area__key", "position")
                ],
            }
        )
    return out


# --- import ----------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file cannot be imported; `errors` says why, one line each."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    school: School
    counts: dict[str, int] = field(default_factory=dict)


def import_school(data, *, dry_run: bool = False) -> ImportReport:
    """Load an export into this installation, all or nothing.

    Refused (ImportRefused) when the file is malformed, or when its school (same name) or
    any of its leaders (same e-mail) already exist here. With dry_run everything is checked,
    written and then rolled back.
    """
    check_format(data)
    with transaction.atomic():
        _refuse_existing(data)
        try:
            report = _load(data)
        except IntegrityError as exc:
            raise ImportRefused([f"The database refused a row: {exc}"]) from None
        if dry_run:
            transaction.set_rollback(True)
    return report


def check_format(data) -> None:
    """The file's shape: format and version, every table a list of rows with every field,
    unique ids, and every reference pointing at a row in the file (or a built-in)."""
    if not isinstance(data, dict):
        raise ImportRefused(["The file must hold a JSON object."])
    if data.get("format") != FORMAT:
        raise ImportRefused([f'Not a Flipchart school export: "format" must be "{FORMAT}".'])
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused(['"version" must be a whole number from 1.'])
    if version > VERSION:
        raise ImportRefused(
            [
                f"The file is format version {version}, made by a newer Flipchart; "
                f"this one reads version {VERSION}. Upgrade Flipchart first."
            ]
        )
    errors: list[str] = []
    school = data.get("school")
    if not isinstance(school, dict) or not isinstance(school.get("name"), str):
        errors.append('"school" must be an object with a "name".')
    ids: dict[str, set] = {"instruments": set(), "items": set()}
    builtins = data.get("builtin_instruments", [])
    if not isinstance(builtins, list):
        errors.append('"builtin_instruments" must be a list.')
        builtins = []
    for i, row in enumerate(builtins):
        where = f"builtin_instruments[{i}]"
        if not (isinstance(row, dict) and _is_id(row.get("id"))):
            errors.append(f'{where}: needs "id", "slug", "version" and "items".')
            continue
        ids["instruments"].add(row["id"])
        for j, item in enumerate(row.get("items") or []):
            if not (isinstance(item, dict) and _is_id(item.get("id"))):
                errors.append(f'{where}.items[{j}]: needs "id", "area" and "position".')
            else:
                ids["items"].add(item["id"])
    for table in TABLES:
        rows = data.get(table.name)
        if not isinstance(rows, list):
            errors.append(f'"{table.name}" is missing or not a list.')
            continue
        seen = ids.setdefault(table.name, set())
        for i, row in enumerate(rows):
            where = f"{table.name}[{i}]"
            if not isinstance(row, dict):
                errors.append(f"{where}: must be an object.")
                continue
            missing = [k for k in ("id", *table.fields, *table.refs) if k not in row]
            if missing:
                errors.append(f"{where}: missing {', '.join(missing)}.")
                continue
            if not _is_id(row["id"]) or row["id"] in seen:
                errors.append(f"{where}.id: must be a whole number, unique in {table.name}.")
            seen.add(row["id"])
            for ref, target in table.refs.items():
                value = row[ref]
                if value is None and ref in table.optional_refs:
                    continue
                if value not in ids.get(target, ()):
                    errors.append(f"{where}.{ref}: no {target} row with id {value!r} in the file.")
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _refuse_existing(data: dict) -> None:
    errors = []
    name = data["school"]["name"]
    if School.objects.filter(name=name).exists():
        errors.append(f"A school named {name!r} already exists here: import into an empty one.")
    emails = [str(u.get("email", "")).lower() for u in data["users"]]
    taken = sorted(User.objects.filter(email__in=emails).values_list("email", flat=True))
    if taken:
        errors.append(f"These leaders already have accounts here: {', '.join(taken)}.")
    digests = [i.get("digest") for i in data["invitations"]]
    if Invitation.objects.filter(digest__in=digests).exists():
        errors.append("Some invitation links already exist here: this school was imported.")
    if errors:
        raise ImportRefused(errors)


def _load(data: dict) -> ImportReport:
    school = School(name=data["school"]["name"])
    if data["school"].get("created"):
        school.created = data["school"]["created"]
    _clean(school, "school", [])
    school.save()
    maps: dict[str, dict[int, int]] = {"instruments": {}, "items": {}}
    _map_builtins(data.get("builtin_instruments", []), maps)
    report = ImportReport(school)
    for table in TABLES:
        errors: list[str] = []
        objects = []
        for i, row in enumerate(data[table.name]):
            obj = table.model(**{f: row[f] for f in table.fields})
            for ref, target in table.refs.items():
                value = row[ref]
                setattr(obj, f"{ref}_id", None if value is None else maps[target][value])
            if table.school_field:
                obj.school = school
            _clean(obj, f"{table.name}[{i}]", errors, exclude=[*table.refs, "school"])
            objects.append(obj)
            if len(errors) >= MAX_ERRORS:
                break
        if errors:
            raise ImportRefused(errors)
        created = table.model.objects.bulk_create(objects)
        maps.setdefault(table.name, {}).update(
            {row["id"]: obj.pk for row, obj in zip(data[table.name], created, strict=True)}
        )
        report.counts[table.name] = len(created)
    return report


def _clean(obj: models.Model, where: str, errors: list[str], exclude=()) -> None:
    """Validate and convert (ISO dates to datetimes) each field; collect readable errors."""
    try:
        obj.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.extend(f"{where}.{name}: {m}" for m in messages)
    if where == "school" and errors:
        raise ImportRefused(errors)


def _map_builtins(builtins: list[dict], maps: dict[str, dict[int, int]]) -> None:
    """The file's built-in instrument ids → this installation's, by slug and version."""
    errors = []
    for row in builtins:
        slug, version = row.get("slug"), row.get("version")
        if slug == BUILTIN_SLUG:
            builtin_instrument()  # a fresh installation loads it on first use
        here = Instrument.objects.filter(school__isnull=True, slug=slug, version=version).first()
        if here is None:
            have = Instrument.objects.filter(school__isnull=True, slug=slug).values_list(
                "version", flat=True
            )
            errors.append(
                f"The file's rounds use the built-in instrument {slug!r} version {version}; "
                f"this installation has {', '.join(map(str, have)) or 'no such instrument'}."
            )
            continue
        maps["instruments"][row["id"]] = here.id
        position = {
            (key, pos): pk
            for pk, key, pos in Item.objects.filter(area__instrument=here).values_list(
                "id", "area__key", "position"
            )
        }
        for item in row.get("items", []):
            found = position.get((item.get("area"), item.get("position")))
            if found is None:
                errors.append(
                    f"Built-in {slug!r} v{version} has no statement at "
                    f"{item.get('area')!r} position {item.get('position')!r}."
                )
            else:
                maps["items"][item["id"]] = found
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])
