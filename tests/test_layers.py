"""The in-process channel layer (flipchart.layers.LocalChannelLayer): Channels' contract, with
one shared copy per group message instead of a task and a deep copy per member."""

from __future__ import annotations

import asyncio
import time

import pytest

from flipchart.layers import LocalChannelLayer

pytestmark = pytest.mark.asyncio


async def _members(layer, n: int) -> list[str]:
    names = [await layer.new_channel() for _ in range(n)]
    for name in names:
        await layer.group_add("board-1", name)
    return names


async def test_a_group_message_reaches_every_member_once_and_in_order():
    layer = LocalChannelLayer()
    names = await _members(layer, 200)
    for seq in range(1, 4):
        await layer.group_send("board-1", {"type": "board.event", "seq": seq})
    for name in names:
        got = [(await layer.receive(name))["seq"] for _ in range(3)]
        assert got == [1, 2, 3]
    assert not layer.channels  # emptied queues are let go, as in Channels


async def test_the_sender_changing_its_dict_afterwards_changes_nothing_delivered():
    layer = LocalChannelLayer()
    [name] = await _members(layer, 1)
    message = {"type": "board.event", "note": {"text": "as sent"}}
    await layer.group_send("board-1", message)
    message["note"]["text"] = "changed after sending"
    assert (await layer.receive(name))["note"]["text"] == "as sent"


async def test_a_full_member_misses_the_message_and_the_others_still_get_it(caplog):
    layer = LocalChannelLayer(capacity=2)
    slow, fast = await _members(layer, 2)
    await layer.group_send("board-1", {"type": "board.event", "seq": 1})
    await layer.group_send("board-1", {"type": "board.event", "seq": 2})
    assert (await layer.receive(fast))["seq"] == 1
    assert (await layer.receive(fast))["seq"] == 2
    await layer.group_send("board-1", {"type": "board.event", "seq": 3})  # slow is full
    assert (await layer.receive(fast))["seq"] == 3
    assert [(await layer.receive(slow))["seq"] for _ in range(2)] == [1, 2]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(slow), 0.05)
    assert "1 of 2 members full" in caplog.text


async def test_an_expired_message_drops_its_member_from_the_group(monkeypatch):
    layer = LocalChannelLayer(expiry=60)
    stale, live = await _members(layer, 2)
    await layer.group_send("board-1", {"type": "board.event", "seq": 1})
    assert (await layer.receive(live))["seq"] == 1
    real_time, real_monotonic = time.time, time.monotonic
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)  # a minute later
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + 61)
    await layer.group_send("board-1", {"type": "board.event", "seq": 2})
    assert set(layer.groups["board-1"]) == {live}  # `stale` left its message waiting 60 s
