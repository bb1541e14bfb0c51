"""A socket the channel layer has forgotten while it is still open.

The layer can drop a live socket from the board's group: the in-process layer removes a
socket from every group once a message has waited 60 s for it (bench/load.py at 20 notes/s to
200 sockets, before flipchart/layers.py: every board went silent after three minutes), and a
Redis outage loses whatever was published meanwhile. The socket then stays open and hears
nothing. The browser pings every 25 s; that ping must bring the socket back: rejoin, and send
what it missed.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from board.events import group_name
from tests.scale.board_sockets import open_socket, post_note, revealed_meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _meeting():
    return revealed_meeting(members=2)


def _post(world, text: str) -> int:
    return post_note(world, world.tokens[1], text)


async def _socket(world, query: str = "") -> WebsocketCommunicator:
    return await open_socket(world, world.tokens[0], query)


async def _members(layer, group: str) -> list[str]:
    """This process's sockets in the group (both layers keep membership in the process)."""
    if hasattr(layer, "_get_group_channel_name"):  # Redis pub/sub: keyed by its channel
        group = layer._get_group_channel_name(group)
    return list(layer.groups.get(group, ()))


async def test_a_ping_brings_back_a_socket_the_layer_forgot():
    world = await sync_to_async(_meeting)()
    comm = await _socket(world)
    assert (await comm.receive_json_from())["type"] == "hello"
    layer, group = get_channel_layer(), group_name(world.audit.id)
    [member] = await _members(layer, group)

    await layer.group_discard(group, member)  # what expiry or a Redis restart does
    missed = await sync_to_async(_post)(world, "Posted while forgotten")
    assert await comm.receive_nothing(timeout=0.5)  # silent: nothing tells the client

    await comm.send_json_to({"type": "ping"})
    frames = [await comm.receive_json_from(timeout=5), await comm.receive_json_from(timeout=5)]
    assert [f["type"] for f in frames] == ["note.created", "pong"]
    assert frames[0]["note"]["id"] == missed
    assert frames[1]["seq"] == frames[0]["seq"]

    live = await sync_to_async(_post)(world, "Posted after the ping")
    frame = await comm.receive_json_from(timeout=5)
    assert (frame["type"], frame["note"]["id"]) == ("note.created", live)
    await comm.disconnect()


async def test_a_replay_and_the_live_stream_never_send_the_same_event_twice(monkeypatch):
    """An event committed between the replay's reading of the board's seq and its reading of
    the events must come once: in the replay or live, not both (bench/load.py saw ~100
    duplicate frames in 10 minutes of 20 notes/s)."""
    import board.consumers

    world = await sync_to_async(_meeting)()
    original = board.consumers.events_since
    raced = []

    def events_since_with_a_write_in_between(*args, **kwargs):
        if not raced:  # someone posts just as this socket replays
            raced.append(_post(world, "Posted during the replay"))
        return original(*args, **kwargs)

    monkeypatch.setattr(board.consumers, "events_since", events_since_with_a_write_in_between)
    comm = await _socket(world, "&since=0")
    frames = []
    while not await comm.receive_nothing(timeout=0.5):
        frames.append(await comm.receive_json_from())
    await comm.disconnect()
    seqs = [f["seq"] for f in frames if f["type"] != "hello"]
    assert raced and [f["note"]["id"] for f in frames if f["type"] == "note.created"] == raced
    assert len(seqs) == len(set(seqs)), f"sent twice: {frames}"
    assert seqs == sorted(seqs)


async def _held_hints(monkeypatch, world) -> tuple:
    """A socket, two notes posted, and their hints held back from the layer."""
    import board.consumers
    import board.events

    held, replays = [], []
    monkeypatch.setattr(board.events, "broadcast", lambda _audit, message: held.append(message))
    original = board.consumers.events_since

    def counted(*args, **kwargs):
        replays.append(args[2:])
        return original(*args, **kwargs)

    monkeypatch.setattr(board.consumers, "events_since", counted)
    comm = await _socket(world)
    assert (await comm.receive_json_from())["type"] == "hello"
    ids = [await sync_to_async(_post)(world, text) for text in ("First", "Second")]
    assert [m["seq"] for m in held] == [held[0]["seq"], held[0]["seq"] + 1]
    return comm, held, ids, replays


async def test_hints_that_overtake_each_other_go_out_in_order_without_a_replay(monkeypatch):
    """Two requests (or two workers) can broadcast in the opposite order to their commits."""
    world = await sync_to_async(_meeting)()
    comm, held, ids, replays = await _held_hints(monkeypatch, world)
    layer, group = get_channel_layer(), group_name(world.audit.id)
    await layer.group_send(group, held[1])
    assert await comm.receive_nothing(timeout=0.1)  # the second waits for the first
    await layer.group_send(group, held[0])
    frames = [await comm.receive_json_from(timeout=2) for _ in range(2)]
    assert [f["note"]["id"] for f in frames] == ids
    assert not replays  # no database query for the overtaking
    await comm.disconnect()


async def test_a_hint_that_never_comes_is_fetched_from_the_database(monkeypatch):
    world = await sync_to_async(_meeting)()
    comm, held, ids, replays = await _held_hints(monkeypatch, world)
    await get_channel_layer().group_send(group_name(world.audit.id), held[1])  # first is lost
    frames = [await comm.receive_json_from(timeout=2) for _ in range(2)]
    assert [f["note"]["id"] for f in frames] == ids
    assert replays == [(held[0]["seq"] - 1, held[0]["seq"])]  # just the missing one
    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()
