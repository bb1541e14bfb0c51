"""The live board socket: authenticate, join, replay what was missed, forward events.

Writes go through the HTTP API; the socket only reads. Every frame sent is built by
board.visibility.view_event, the same function that serves the HTTP replay.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from urllib.parse import parse_qs, urlparse

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port, validate_host

from api.auth import caller_from_token
from audits.access import session_invitation
from board.access import board_and_viewer
from board.events import group_name
from board.notes import events_since
from board.visibility import Viewer, view_event
from flipchart.throttle import client_ip

log = logging.getLogger("flipchart.board")

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_ORIGIN = 4003
CLOSE_TOO_FAST = 4429
MAX_MESSAGES_PER_10S = 50
LAYER_ATTEMPTS = 4
# Hints from different requests (or workers) can overtake each other by a few milliseconds. One
# that arrives early waits this long for those before it before the socket asks the database:
# going to the database at once meant a query per socket per overtaking, and with two workers
# on PostgreSQL deliveries fell minutes behind (docs/benchmarks.md).
GAP_WAIT = 0.3


def origin_allowed(origin: str) -> bool:
    """A present Origin must be this site's own (ALLOWED_HOSTS, or SITE_URL's host)."""
    host = urlparse(origin).netloc
    domain, _port = split_domain_port(host)
    site = urlparse(settings.SITE_URL).netloc
    return bool(domain) and (host == site or validate_host(domain, settings.ALLOWED_HOSTS))


class BoardConsumer(AsyncJsonWebsocketConsumer):
    viewer: Viewer | None = None
    last_seq = 0
    heard = False  # a live hint was handled since the last ping
    gap_task: asyncio.Task | None = None

    async def dispatch(self, message):
        """As Channels dispatches, without its close_old_connections() hop to the sync thread
        before every message: that queued each event once per socket through one thread
        (tests/scale/test_fanout_cost.py; p95 fan-out to 200 sockets fell from ~180 to ~75 ms).
        Every database call here goes through database_sync_to_async, which closes stale
        connections itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.audit_id = int(self.scope["url_route"]["kwargs"]["audit"])
        headers = dict(self.scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [""])[0]
        since_raw = (query.get("since") or [""])[0]
        await self.accept()
        if origin and not origin_allowed(origin):
            log.warning("board socket: foreign origin %r", origin[:100])
            return await self.close(code=CLOSE_BAD_ORIGIN)
        if not token and not origin:
            # A cookie-authenticated socket must prove it comes from our own pages.
            return await self.close(code=CLOSE_BAD_ORIGIN)
        try:
            viewer = await self._authorise(token)
        except PermissionError:
            return await self.close(code=CLOSE_UNAUTHENTICATED)
        except Http404:
            log.warning("board socket: refused for audit %s", self.audit_id)
            return await self.close(code=CLOSE_FORBIDDEN)
        self.viewer = viewer
        self.group = group_name(self.audit_id)
        self.window_start, self.window_count = time.monotonic(), 0
        self.order = asyncio.Lock()  # live hints and replays go out one at a time, in order
        self.early: dict[int, dict] = {}  # hints waiting for the ones before them
        # Join first, then replay from the database: nothing falls between the two.
        if not await self._layer("group_add"):
            return await self.close(code=1011)  # the client comes back with its `since`
        since = int(since_raw) if since_raw.isdigit() else None
        await self._catch_up(since)
        await self.send_json({"type": "hello", "seq": self.last_seq})

    async def _resync(self) -> None:
        """A client's ping (the browser sends one every 25 s) rejoins the board's group and,
        if this socket handled no hint since the last ping, sends what the database has that
        it has not seen.

        The layer can forget a socket that is still open: the in-process layer drops a socket
        from every group once a message waits 60 s for it (an overloaded server), and what is
        published while Redis is away is lost (tests/scale/test_resync.py). A socket that is
        handling hints is hearing the board, even if behind: no database query then, which in
        a busy meeting is nearly every ping, so an overloaded server is not handed a replay
        per socket."""
        if not await self._layer("group_add"):
            return
        if self.heard:
            self.heard = False
        else:
            await self._replay(self.last_seq)

    async def _layer(self, method: str) -> bool:
        """group_add / group_discard for this socket, tried again after a short pause: the
        first socket of a board on a worker subscribes in Redis, which may be briefly away.
        False when it kept failing."""
        for attempt in range(LAYER_ATTEMPTS):
            try:
                await getattr(self.channel_layer, method)(self.group, self.channel_name)
                return True
            except Exception:
                if attempt == LAYER_ATTEMPTS - 1:
                    log.warning("board socket: channel layer %s failed", method, exc_info=True)
                    return False
                await asyncio.sleep(0.05 * 2**attempt * (1 + random.random()))
        return False

    @database_sync_to_async
    def _authorise(self, token: str) -> Viewer:
        user, invitation = None, None
        if token:
            caller = caller_from_token(token, client_ip(self._meta()))
            if caller is None:
                raise PermissionError
            user, invitation = caller.user, caller.invitation
        else:
            scope_user = self.scope.get("user")
            if scope_user is not None and scope_user.is_authenticated:
                user = scope_user
            else:
                invitation = session_invitation(self.scope["session"], self.audit_id)
                if invitation is None:
                    raise PermissionError
        return board_and_viewer(user, invitation, self.audit_id)[1]

    def _meta(self) -> dict:
        client = self.scope.get("client") or ("", 0)
        meta = {"REMOTE_ADDR": client[0]}
        for name, value in self.scope.get("headers") or []:
            if name == b"x-forwarded-for":
                meta["HTTP_X_FORWARDED_FOR"] = value.decode("latin-1")
        return meta

    async def _catch_up(self, since: int | None, until: int | None = None) -> None:
        """Send what this viewer may see after `since` (None: nothing, just learn the seq).

        Live hints numbered at or below the board's seq read here are then ignored: the
        database answer already covered them."""
        seq, events = await database_sync_to_async(self._load_events)(since, until)
        for event in events:
            await self.send_json(event)
        self.last_seq = max(self.last_seq, until if until is not None else seq)

    def _load_events(self, since: int | None, until: int | None) -> tuple[int, list[dict]]:
        from board.models import Board

        board = Board.objects.select_related("audit").get(audit_id=self.audit_id)
        if since is None:
            return board.seq, []
        # Never past the seq just read: an event committed meanwhile comes live, not twice
        # (tests/scale/test_resync.py).
        limit = board.seq if until is None else min(until, board.seq)
        return board.seq, events_since(board, self.viewer, since, limit)

    async def disconnect(self, code):
        if self.viewer is None:
            return
        if self.gap_task is not None:
            self.gap_task.cancel()
        await self._layer("group_discard")

    async def receive_json(self, content, **kwargs):
        now = time.monotonic()
        if now - self.window_start > 10:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        if self.window_count > MAX_MESSAGES_PER_10S:
            return await self.close(code=CLOSE_TOO_FAST)
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self._resync()
            await self.send_json({"type": "pong", "seq": self.last_seq})
        elif kind == "resync":
            since = content.get("since")
            if not isinstance(since, int) or since < 0:
                await self.send_json({"type": "error", "detail": "resync needs since ≥ 0"})
                return
            await self._replay(since)
            await self.send_json({"type": "resynced", "seq": self.last_seq})
        else:
            await self.send_json(
                {
                    "type": "error",
                    "detail": "This socket only reads. Send notes over HTTP; "
                    "messages here: ping, resync.",
                }
            )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > 4096:
            return await self.close(code=1009)
        try:
            await super().receive(text_data=text_data, **kwargs)
        except ValueError:
            await self.send_json({"type": "error", "detail": "Send JSON."})

    async def layer_restored(self, message):
        """Redis came back after an outage (flipchart.layers): send what went unheard."""
        if self.viewer is not None:
            await self._replay(self.last_seq)

    async def board_event(self, message):
        """A hint from the channel layer: forward it in order. One that overtook another waits
        GAP_WAIT for it; if it does not come, the database fills the gap."""
        self.heard = True
        async with self.order:
            seq = message["seq"]
            if seq <= self.last_seq:
                return
            self.early[seq] = message
            await self._forward_in_order()
            if self.early and self.gap_task is None:
                self.gap_task = asyncio.create_task(self._fill_gap_later())

    async def _forward_in_order(self) -> None:
        while (message := self.early.pop(self.last_seq + 1, None)) is not None:
            self.last_seq = message["seq"]
            await self._forward(message)
        self.early = {seq: m for seq, m in self.early.items() if seq > self.last_seq}

    async def _fill_gap_later(self) -> None:
        await asyncio.sleep(GAP_WAIT)
        async with self.order:
            self.gap_task = None
            if not self.early:
                return
            await self._catch_up(self.last_seq, min(self.early) - 1)
            await self._forward_in_order()
            if self.early:
                self.gap_task = asyncio.create_task(self._fill_gap_later())

    async def _replay(self, since: int) -> None:
        """Send what the database has after `since`, then any hints that were waiting."""
        async with self.order:
            await self._catch_up(since)
            await self._forward_in_order()

    async def _forward(self, message: dict) -> None:
        event = {
            "seq": message["seq"],
            "type": message["event_type"],
            "revealed": message["revealed"],
            "note": message["note"],
            "board": message["board"],
        }
        shown = view_event(self.viewer, event)
        if shown is not None:
            await self.send_json(shown)
