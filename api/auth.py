"""Who is calling the API: a leader (API token or session) or a participant (invitation token
or the session their invitation link started). Routes then ask for the role they need."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.base import AuthBase

from accounts.models import ApiToken, User, hash_token
from audits.access import session_invitation
from audits.models import Invitation
from flipchart.throttle import client_ip, record_failure

log = logging.getLogger("flipchart.auth")


@dataclass(frozen=True)
class Caller:
    user: User | None = None
    invitation: Invitation | None = None

    @property
    def is_leader(self) -> bool:
        return self.user is not None


def leader_from_token(token: str) -> User | None:
    row = ApiToken.objects.active().select_related("user").filter(digest=hash_token(token)).first()
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
    return row.user


def caller_from_token(token: str, ip: str) -> Caller | None:
    """Resolve a bearer token; count the failure when it matches nothing."""
    if token.startswith(ApiToken.PREFIX):
        user = leader_from_token(token)
        caller = Caller(user=user) if user else None
    else:
        invitation = Invitation.objects.by_token(token)
        caller = Caller(invitation=invitation) if invitation else None
    if caller is None:
        log.warning("failed token authentication from %s", ip)
        if record_failure("token", ip) > settings.TOKEN_FAILURES_PER_MINUTE:
            raise HttpError(429, "Too many failed attempts. Wait a minute and try again.")
    return caller


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        return caller_from_token(token, client_ip(request.META))


def _audit_in(request) -> int | None:
    """The round a session request is about: the path's {audit}, else ?audit=."""
    raw = request.resolver_match.kwargs.get("audit") if request.resolver_match else None
    raw = raw or request.GET.get("audit")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


class SessionAuth(AuthBase):
    """The browser's session cookie, with Django's CSRF check for writes."""

    openapi_type = "apiKey"

    def __init__(self):
        self.openapi_in = "cookie"
        self.openapi_name = "sessionid"
        super().__init__()

    def __call__(self, request):
        user = getattr(request, "user", None)
        invitation = None
        if not (user and user.is_authenticated):
            user = None
            invitation = session_invitation(request.session, _audit_in(request))
            if invitation is None:
                return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return Caller(user=user, invitation=invitation)


AUTH = [BearerAuth(), SessionAuth()]


def require_leader(request) -> User:
    caller: Caller = request.auth
    if not caller.is_leader:
        raise HttpError(403, "This needs a leader's token or sign-in.")
    return caller.user


def require_participant(request) -> Invitation:
    caller: Caller = request.auth
    if caller.invitation is None:
        raise HttpError(403, "This needs a participant's invitation token.")
    return caller.invitation
