"""The database under a meeting's load (RELIABILITY.md §2.3, issue 7): four HTTP writers
answering the questionnaire flat out while notes arrive at 20 per second and 50 sockets watch.
Zero "database is locked", zero 5xx, and every socket gets every note. This is the short form of
bench/load.py (same code); the benchmark runs it for 10 minutes and reports latencies."""

from __future__ import annotations

import pytest

from bench.harness import seed_meeting
from bench.load import read_log, run_load

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


async def test_concurrent_writers_and_a_note_stream_never_lock_the_database(stack, layer_redis):
    url, leader = stack.database()
    server = stack.server(url, redis=layer_redis)
    meeting = await seed_meeting(server.url, leader, 60)
    result = await run_load(
        server.url,
        server.ws_url,
        meeting,
        sockets=50,
        note_rate=20,
        writers=4,
        duration=8,
        settle=30,
    )
    read_log(result, server.log())
    print(result.table())
    assert result.database_locked == 0
    assert result.server_errors == 0, result.statuses
    assert result.log_problems == 0
    assert result.statuses.get("POST notes 201") == result.notes_posted
    assert result.statuses.get("PUT me/answers 200") == result.answers_sent > 4
    assert result.lost == 0
