"""Reach with several server processes (issues 3 and 7): one Redis and one database shared by
every process, a note posted through any of them reaches every socket on all of them."""

from __future__ import annotations

import asyncio
import collections
import subprocess

import pytest

from bench.harness import (
    BoardClient,
    FlipchartServer,
    HttpClient,
    connect_all,
    expect,
    flipchart_command,
    free_port,
    seed_meeting,
    sqlite_url,
    stop_all,
    wait_for_condition,
)

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


def _workers_in_group(redis_server, audit_id: int) -> int:
    """How many processes listen to the board: each subscribes once for all its sockets."""
    [(_name, count)] = redis_server.client().pubsub_numsub(f"asgi__group__board-{audit_id}")
    return count


async def _post(http: HttpClient, meeting, text: str, cid: str) -> dict:
    body = {"chart": "strength", "text": text, "client_id": cid}
    return (await expect(http.post(meeting.notes_path, body), 201)).json()


async def test_a_note_posted_to_one_process_reaches_sockets_on_the_other(stack, redis_server):
    url, leader = stack.database()
    a = stack.server(url, redis=redis_server)
    b = stack.server(url, redis=redis_server)
    meeting = await seed_meeting(a.url, leader, 20)
    on_a = [BoardClient(a.ws_url, meeting.audit_id, t) for t in meeting.tokens[:10]]
    on_b = [BoardClient(b.ws_url, meeting.audit_id, t) for t in meeting.tokens[10:]]
    tasks = await connect_all(on_a + on_b, timeout=30)
    assert _workers_in_group(redis_server, meeting.audit_id) == 2
    http_a = HttpClient(a.url, meeting.tokens[0])
    http_b = HttpClient(b.url, meeting.tokens[10])
    try:
        # Through A: every socket on B must get it live (nothing later could fill a gap).
        first = await _post(http_a, meeting, "Posted through process A", "reach-a")
        assert await wait_for_condition(lambda: all(first["id"] in c.notes for c in on_b), 10)
        second = await _post(http_b, meeting, "Posted through process B", "reach-b")
        assert await wait_for_condition(lambda: all(second["id"] in c.notes for c in on_a), 10)
        assert await wait_for_condition(
            lambda: all(set(c.notes) == {first["id"], second["id"]} for c in on_a + on_b), 10
        )
        assert all(c.connects == 1 for c in on_a + on_b), "a socket had to reconnect"
    finally:
        await http_a.close()
        await http_b.close()
        await stop_all(on_a + on_b, tasks)


async def test_two_workers_deliver_every_note_to_every_one_of_200_sockets(stack, redis_server):
    """`flipchart serve --workers 2` behind one port: sockets land on both workers, and every
    socket receives every note exactly once."""
    sockets, notes = 200, 20
    url, leader = stack.database()
    server = stack.server(url, redis=redis_server, workers=2)
    meeting = await seed_meeting(server.url, leader, sockets)
    created = collections.defaultdict(collections.Counter)  # client index -> note id -> count

    def counter(i):
        def on_event(frame, _t):
            if frame.get("type") == "note.created":
                created[i][frame["note"]["id"]] += 1

        return on_event

    clients = [
        BoardClient(server.ws_url, meeting.audit_id, token, since=None, on_event=counter(i))
        for i, token in enumerate(meeting.tokens)
    ]
    tasks = await connect_all(clients, timeout=60)
    assert _workers_in_group(redis_server, meeting.audit_id) == 2, "all sockets on one worker"
    posters = [HttpClient(server.url, token) for token in meeting.tokens[:4]]
    try:
        ids = []
        for n in range(notes):
            note = await _post(posters[n % 4], meeting, f"Idea {n}", f"w2-{n}")
            ids.append(note["id"])
            await asyncio.sleep(0.1)
        want = set(ids)
        assert await wait_for_condition(lambda: all(set(c.notes) == want for c in clients), 20), (
            f"{sum(len(set(c.notes) & want) for c in clients)} of {sockets * notes} delivered"
        )
        delivered = sum(sum(created[i].values()) for i in range(sockets))
        assert delivered == sockets * notes, "some socket got a note twice"
        assert all(c.connects == 1 for c in clients)
        assert "Traceback" not in server.log()
    finally:
        for http in posters:
            await http.close()
        await stop_all(clients, tasks)


async def test_serve_refuses_several_workers_without_redis(tmp_path):
    rig = FlipchartServer(tmp_path, sqlite_url(tmp_path / "db.sqlite3"))
    port = free_port()
    result = await asyncio.to_thread(
        subprocess.run,
        [*flipchart_command(), "serve", "--port", str(port), "--workers", "2", "--no-migrate"],
        env=rig.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "half" in result.stderr  # says why, not just no
