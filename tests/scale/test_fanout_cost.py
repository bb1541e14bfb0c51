"""What one live event costs the server per socket. Fan-out to a whole staff meeting must not
queue every socket's copy through Django's one synchronous thread (Channels' default dispatch
closes old database connections there before every message): at 200 sockets that alone put the
p95 delivery latency over the 100 ms aim (docs/benchmarks.md)."""

from __future__ import annotations

import pytest
from asgiref.sync import SyncToAsync, sync_to_async

from tests.scale.board_sockets import open_socket, post_note, revealed_meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SOCKETS = 20


async def test_one_event_to_many_sockets_does_not_hop_threads_per_socket(monkeypatch):
    world = await sync_to_async(revealed_meeting)(SOCKETS)
    sockets = []
    for token in world.tokens:
        comm = await open_socket(world, token)
        assert (await comm.receive_json_from())["type"] == "hello"
        sockets.append(comm)

    hops = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__name__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    await sync_to_async(post_note)(world, world.tokens[0], "Shared questioning")  # one hop
    for comm in sockets:
        frame = await comm.receive_json_from(timeout=5)
        assert frame["type"] == "note.created"
    monkeypatch.setattr(SyncToAsync, "__call__", original)
    for comm in sockets:
        await comm.disconnect()
    assert len(hops) < SOCKETS // 2, f"{len(hops)} thread hops for one event: {hops[:5]}"
