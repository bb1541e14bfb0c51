"""Cross-cutting HTTP behaviour: a request id in every log line, no caching of private pages."""

from __future__ import annotations

import contextvars
import logging
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (taken from X-Request-ID or made up)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def _start(self, request) -> str:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        _request_id.set(rid)
        request.request_id = rid
        return rid

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        rid = self._start(request)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response

    async def __acall__(self, request):
        rid = self._start(request)
        response = await self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class NoStoreMiddleware:
    """Answers, results and every signed-in page are personal data: never cached (ASVS 14.3.2).

    Static files keep their own caching (WhiteNoise answers them before this runs).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class BodySizeMiddleware:
    """413 with a JSON message for oversized API bodies, before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import JsonResponse

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.path.startswith("/api/") and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            return JsonResponse(
                {"detail": f"The request body is larger than {limit_kib} KiB.", "errors": []},
                status=413,
            )
        return self.get_response(request)
