"""Every API route, read from the OpenAPI document, with a valid sample body for each.

Tests that must cover *every* route (hostile input, the authorisation matrix) use this, so a
route added later is covered without anyone remembering to add it to a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

PREFIX = "/api/v1"
# The routers only leaders use; every other router (board, themes, participants, ...) serves
# participants too (API.md, "Participants and leaders alike").
LEADER_TAGS = {"teams", "audits", "instruments"}
SHARED = re.compile(r"^/api/v1/(me(/|$)|audits/\{audit\}/(notes|board|themes|matches|report))")
PARTICIPANT_ONLY = re.compile(r"^/api/v1/me(/|$)")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {placeholders}
    operation: dict

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    @property
    def is_object_route(self) -> bool:
        """About one team or round (and what is inside it), rather than a collection."""
        return bool({"team", "audit"} & set(self.params))

    @property
    def is_shared(self) -> bool:
        """A participant may use it too (for their own round)."""
        tags = set(self.operation.get("tags", []))
        return bool(SHARED.match(self.path)) or not tags <= LEADER_TAGS

    @property
    def is_participant_only(self) -> bool:
        return bool(PARTICIPANT_ONLY.match(self.path))

    @property
    def takes_body(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH"}

    def body_schema(self, document: dict) -> dict | None:
        body = self.operation.get("requestBody")
        if not body:
            return None
        content = body.get("content", {})
        schema = (content.get("application/json") or next(iter(content.values()), {})).get("schema")
        return resolve(document, schema) if schema else None


def openapi_document() -> dict:
    from api.urls import api

    return api.get_openapi_schema(path_prefix=PREFIX + "/")


def routes(document: dict | None = None) -> list[Route]:
    document = document or openapi_document()
    found = []
    for path, operations in sorted(document["paths"].items()):
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append(Route(method.upper(), path, operation))
    return found


def resolve(document: dict, schema: dict | None) -> dict:
    seen = 0
    while schema and "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
        seen += 1
    return schema or {}


def fill_path(route: Route, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), route.path)


# --- sample bodies -------------------------------------------------------------------------


def _future(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def sample(document: dict, schema: dict, hints: dict, name: str = "") -> object:
    """A small valid value for `schema`; `hints` gives values for fields known by name."""
    schema = resolve(document, schema)
    if name in hints:
        return hints[name]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(document, s).get("type") != "null"]
            return sample(document, options[0] if options else schema[key][0], hints, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        props = schema.get("properties", {})
        return {
            key: sample(document, sub, hints, key)
            for key, sub in props.items()
            if key in required or key in hints
        }
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [sample(document, schema.get("items", {}), hints, name) for _ in range(count)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date-time":
            return _future(3)
        if schema.get("format") == "email":
            return "someone@example.org"
        return "x" * max(1, schema.get("minLength", 1)) if name else "x"
    return None


def valid_body(document: dict, route: Route, hints: dict) -> object:
    """A body the route accepts (None for routes that take none)."""
    schema = route.body_schema(document)
    if schema is None:
        return {} if route.takes_body else None
    return sample(document, schema, hints)


def world_hints(world, statement_id: int) -> dict:
    """Values for fields known by name, pointing at the world's own objects."""
    return {
        "team": world.team.id,
        "title": "A round of my own",
        "name": "Sam Patel",
        "email": "sam.patel@example.org",
        "members": [{"name": "Sam Patel", "email": "sam.patel@example.org"}],
        "answers": [{"statement": statement_id, "rating": 3}],
        "statement": statement_id,
        "rating": 3,
        "chart": "strength",
        "text": "Clear modelling in every lesson",
        "client_id": "sample-client-id",
        "phase": "write",
    }
