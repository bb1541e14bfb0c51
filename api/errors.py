"""Every API error in one shape: {"detail": "...", "errors": [{"loc": [...], "msg": "..."}]}."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

log = logging.getLogger("flipchart.api")


def _loc(raw) -> list:
    loc = list(raw)
    # django-ninja puts the parameter's name after "body"; the contract has none.
    if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload":
        del loc[1]
    return loc


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON.")


def _has_nul(data) -> bool:
    """Whether any string in the parsed body, key or value, holds a NUL character."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JsonObjectParser(Parser):
    """Request bodies are JSON objects. Anything else (an array, a bare value, NaN) is
    malformed: 400, rather than read as an object with no fields. So is text with NUL in it,
    which no database column can keep (PostgreSQL refuses it)."""

    def parse_body(self, request):
        data = json.loads(request.body, parse_constant=_no_constant)
        if not isinstance(data, dict):
            raise ValueError("The body must be a JSON object.")
        if _has_nul(data):
            raise ValueError("Text cannot contain NUL characters.")
        return data


def install(api) -> None:
    api.parser = JsonObjectParser()

    def validation(request, exc: ValidationError):
        errors = [
            {"loc": _loc(e.get("loc", [])), "msg": str(e.get("msg", "invalid"))} for e in exc.errors
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"][1:]) or "request"
        return api.create_response(
            request, {"detail": f"{where}: {first['msg']}", "errors": errors}, status=422
        )

    def http_error(request, exc: HttpError):
        detail = str(exc)
        cause = exc.__cause__
        if exc.status_code == 400 and cause is not None and str(cause) not in detail:
            detail = f"{detail}: {cause}"  # why the body could not be read (ninja drops it)
        body = {"detail": detail, "errors": getattr(exc, "errors", [])}
        return api.create_response(request, body, status=exc.status_code)

    def unauthenticated(request, exc: AuthenticationError):
        return api.create_response(
            request,
            {"detail": "Sign in, or send 'Authorization: Bearer <token>'.", "errors": []},
            status=401,
        )

    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)

    def too_big(request, exc: RequestDataTooBig):
        return api.create_response(
            request, {"detail": "The request body is too large.", "errors": []}, status=413
        )

    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestDataTooBig, too_big)


class ApiError(HttpError):
    """An HttpError carrying per-field errors."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(status, detail)
        self.errors = errors or []
