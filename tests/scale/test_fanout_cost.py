"""What one live event costs the server per socket. Fan-out to a whole staff meeting must not
queue every socket's copy through Django's one synchronous thread (Channels' default dispatch
closes old database connections there before every message): at 200 sockets that alone put the
p95 delivery latency over the 100 ms aim (docs/benchmarks.md)."""

from __future__ import annotations

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from channels.testing import WebsocketCommunicator

from flipchart.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SOCKETS = 20


def _meeting():
    from board.notes import board_for, change_board
    from tests.conftest import make_world

    world = make_world(anonymous=True, members=SOCKETS)
    change_board(board_for(world.audit), phase="reveal")
    return world


def _post(world, token: str) -> None:
    from tests.conftest import ApiClient

    response = ApiClient(token).post(
        f"/api/v1/audits/{world.audit.id}/notes",
        {"chart": "strength", "text": "Shared questioning", "client_id": "cost-1"},
    )
    assert response.status_code == 201


async def test_one_event_to_many_sockets_does_not_hop_threads_per_socket(monkeypatch):
    world = await sync_to_async(_meeting)()
    sockets = []
    for token in world.tokens:
        comm = WebsocketCommunicator(
            application,
            f"/ws/audits/{world.audit.id}/?token={token}",
            headers=[(b"host", b"127.0.0.1")],
        )
        connected, _ = await comm.connect()
        assert connected
        assert (await comm.receive_json_from())["type"] == "hello"
        sockets.append(comm)

    hops = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__name__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    await sync_to_async(_post)(world, world.tokens[0])  # one hop: the post itself
    for comm in sockets:
        frame = await comm.receive_json_from(timeout=5)
        assert frame["type"] == "note.created"
    monkeypatch.setattr(SyncToAsync, "__call__", original)
    for comm in sockets:
        await comm.disconnect()
    assert len(hops) < SOCKETS // 2, f"{len(hops)} thread hops for one event: {hops[:5]}"
