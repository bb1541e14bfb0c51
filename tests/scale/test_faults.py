"""Faults in the middle of a meeting (issue 7, RELIABILITY.md §2.4): the server SIGKILLed while
50 people post, Redis stopped, 200 sockets dropping at once. The database is the record: after
each fault every acknowledged note exists exactly once and every board equals the database."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import random
import time

import pytest

from bench.harness import (
    BoardClient,
    Database,
    HttpClient,
    board_notes,
    connect_all,
    expect,
    percentile,
    problems_in_log,
    seed_meeting,
    stop_all,
    wait_for_condition,
)

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

SEED = int(os.environ.get("SCALE_SEED", "0")) or random.randrange(1, 10**6)


class Poster:
    """A participant writing notes one after another, each retried with the same client_id
    until the server acknowledges it (201, or 200 for a retry that had already landed)."""

    def __init__(self, base_url: str, meeting, token: str, name: str, rng: random.Random):
        self.http = HttpClient(base_url, token, timeout=3)
        self.meeting, self.name, self.rng = meeting, name, rng
        self.attempted: list[str] = []
        self.acked: dict[str, int] = {}
        self.statuses = collections.Counter()
        self.unexpected: list[str] = []

    async def post_until_acked(self, cid: str, text: str, max_attempts: int = 300) -> bool:
        body = {"chart": self.rng.choice(["strength", "improvement"]), "text": text}
        body["client_id"] = cid
        for _ in range(max_attempts):
            try:
                response = await self.http.post(self.meeting.notes_path, body)
            except (ConnectionError, OSError, TimeoutError):
                self.statuses["no answer"] += 1
                await asyncio.sleep(0.05 + self.rng.random() * 0.15)
                continue
            self.statuses[response.status] += 1
            if response.status in (200, 201):
                self.acked[cid] = response.json()["id"]
                return True
            if response.status < 500:
                self.unexpected.append(f"{response.status} {response.body[:200]!r}")
                return False
            await asyncio.sleep(0.1)
        return False

    async def run(self, stop: asyncio.Event, pace: tuple[float, float]) -> None:
        n = 0
        while not stop.is_set():
            cid = f"{self.name}-{n}"
            self.attempted.append(cid)
            await self.post_until_acked(cid, f"Note {n} from {self.name}")
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.rng.uniform(*pace))
        await self.http.close()


async def test_sigkill_mid_meeting_loses_and_duplicates_nothing(stack, layer_redis):
    rng = random.Random(SEED)
    print(f"SCALE_SEED={SEED}")
    clients_n = 50
    url, leader = stack.database()
    server = stack.server(url, redis=layer_redis)
    meeting = await seed_meeting(server.url, leader, clients_n)
    views = [
        BoardClient(server.ws_url, meeting.audit_id, t, backoff_cap=0.5) for t in meeting.tokens
    ]
    view_tasks = await connect_all(views, timeout=30)
    posters = [
        Poster(server.url, meeting, token, f"p{i}", random.Random(rng.random()))
        for i, token in enumerate(meeting.tokens)
    ]
    stop = asyncio.Event()
    # Each person writes a note every 2-4 s: about 17 notes/s from the room, 50 sockets each.
    post_tasks = [asyncio.create_task(p.run(stop, (2.0, 4.0))) for p in posters]
    try:
        await asyncio.sleep(rng.uniform(4.0, 7.0))
        acked_before_kill = sum(len(p.acked) for p in posters)
        await asyncio.to_thread(server.kill)
        await asyncio.sleep(rng.uniform(0.2, 1.0))
        await asyncio.to_thread(server.start)
        await asyncio.sleep(6)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*post_tasks), 60)
        posting_ended = time.monotonic()

        attempted = [cid for p in posters for cid in p.attempted]
        acked = {cid: nid for p in posters for cid, nid in p.acked.items()}
        statuses = sum((p.statuses for p in posters), collections.Counter())
        print(f"acked {len(acked)} (before the kill {acked_before_kill}); answers {statuses}")
        assert not [u for p in posters for u in p.unexpected]
        assert acked_before_kill > 0 and len(acked) > acked_before_kill
        assert set(acked) == set(attempted), "some note was never acknowledged"

        # The record: each acknowledged note exactly once, under the id it was acked with.
        state = await asyncio.to_thread(Database(url).board_state, meeting.audit_id)
        by_cid = collections.Counter(cid for _id, cid, *_ in state["notes"])
        assert max(by_cid.values()) == 1
        assert {cid: nid for nid, cid, *_ in state["notes"]} == acked
        assert state["event_seqs"] == list(range(1, state["seq"] + 1)), "gap in event numbers"

        # Every board converges on the database by itself (reconnect with since) within 2 s.
        record = await board_notes(server.url, meeting)
        assert len(record) == len(acked)
        converged = await wait_for_condition(lambda: all(v.view() == record for v in views), 2)
        print(f"converged {time.monotonic() - posting_ended:.2f} s after the last ack")
        assert converged, _differences(views, record)
        assert all(v.connects >= 2 for v in views), "the kill did not reach every socket"

        # And a client that reconnects now with since = the last seq it saw rebuilds the same.
        rebuild_times = []
        for view in views:
            fresh = BoardClient(
                server.ws_url, meeting.audit_id, view.token, since=view.last_seq, reconnect=False
            )
            fresh.notes = dict(view.notes)
            started = time.monotonic()
            task = asyncio.create_task(fresh.run())
            await asyncio.wait_for(fresh.live.wait(), 5)
            rebuild_times.append(time.monotonic() - started)
            assert fresh.view() == record
            await fresh.close()
            await asyncio.wait_for(task, 5)
        print(f"rebuild p95 {percentile(rebuild_times, 95) * 1000:.0f} ms")
        assert max(rebuild_times) < 2
        assert not problems_in_log(server.log(since_start=True))
        assert "database is locked" not in server.log()
    finally:
        stop.set()
        for task in post_tasks:
            task.cancel()
        await stop_all(views, view_tasks)


async def test_redis_stopped_mid_meeting_writes_go_on_and_boards_catch_up(stack, redis_server):
    url, leader = stack.database()
    server = stack.server(url, redis=redis_server)
    meeting = await seed_meeting(server.url, leader, 20)
    views = [
        BoardClient(server.ws_url, meeting.audit_id, t, backoff_cap=0.5) for t in meeting.tokens
    ]
    tasks = await connect_all(views, timeout=30)
    http = HttpClient(server.url, meeting.tokens[0], timeout=10)
    try:
        for n in range(5):
            await expect(http.post(meeting.notes_path, _note(f"before-{n}")), 201)
        record = await board_notes(server.url, meeting)
        assert await wait_for_condition(lambda: all(v.view() == record for v in views), 10)
        connects_before = [v.connects for v in views]
        frames_before = [v.frames for v in views]

        redis_server.kill()
        during = []
        for n in range(10):
            response = await expect(http.post(meeting.notes_path, _note(f"during-{n}")), 201)
            during.append(response.json()["id"])
            assert response.elapsed < 5
        await asyncio.sleep(2)
        # Sockets notice: closed (and failing to come back), or simply told nothing.
        for view, connects, frames in zip(views, connects_before, frames_before, strict=True):
            closed = not view.live.is_set() or view.connects > connects
            assert closed or view.frames == frames, "a socket got live events without Redis"
            assert not set(during) <= set(view.notes)

        redis_server.start()
        # The meeting goes on; every board catches up through `since`.
        await expect(http.post(meeting.notes_path, _note("after")), 201)
        record = await board_notes(server.url, meeting)
        assert len(record) == 16
        assert await wait_for_condition(lambda: all(v.view() == record for v in views), 15), (
            f"{sum(v.view() != record for v in views)} of {len(views)} boards differ"
        )
    finally:
        await http.close()
        await stop_all(views, tasks)


def _differences(views: list[BoardClient], record: dict) -> str:
    lines = []
    for i, view in enumerate(views):
        seen = view.view()
        if seen != record:
            lines.append(
                f"board {i}: missing {sorted(set(record) - set(seen))[:10]}, "
                f"extra {sorted(set(seen) - set(record))[:10]}, last_seq {view.last_seq}, "
                f"live {view.live.is_set()}, connects {view.connects}, closes {view.close_codes}"
            )
    return f"{len(lines)} of {len(views)} boards differ from the database:\n" + "\n".join(lines)


def _note(text: str) -> dict:
    return {"chart": "strength", "text": text, "client_id": text}


def _subscriptions(rds, group: str) -> tuple[int, int]:
    """(workers subscribed to the board's group, sockets' own channels) as Redis sees them."""
    [(_name, workers)] = rds.pubsub_numsub(f"asgi__group__{group}")
    return workers, len(rds.pubsub_channels("asgispecific.*"))


async def test_a_disconnect_storm_leaves_no_error_and_no_lasting_subscriptions(stack, redis_server):
    url, leader = stack.database()
    server = stack.server(url, redis=redis_server)
    meeting = await seed_meeting(server.url, leader, 200)
    group = f"board-{meeting.audit_id}"
    rds = redis_server.client()
    # Everyone arrives at once (the QR code on the projector), then everyone drops at once.
    views = [
        BoardClient(server.ws_url, meeting.audit_id, t, reconnect=False) for t in meeting.tokens
    ]
    tasks = await connect_all(views, timeout=60, batch=200)
    assert _subscriptions(rds, group) == (1, 200)
    for view in views:
        view.abort()
    await asyncio.wait(tasks, timeout=10)
    cleaned = await wait_for_condition(lambda: _subscriptions(rds, group) == (0, 0), 3)
    print(f"subscriptions left 3 s after the storm: {_subscriptions(rds, group)}")

    # The server still serves: a new socket joins and gets a new note.
    http = HttpClient(server.url, meeting.tokens[0])
    late = BoardClient(server.ws_url, meeting.audit_id, meeting.tokens[1], ping_every=1)
    late_tasks = await connect_all([late], timeout=10)
    try:
        assert _subscriptions(rds, group) == (1, 1)
        note = (await expect(http.post(meeting.notes_path, _note("after the storm")), 201)).json()
        assert await wait_for_condition(lambda: note["id"] in late.notes, 5)
        assert (await http.get("/healthz")).status == 200
        text = server.log()
        assert not problems_in_log(text), problems_in_log(text)[:5]
        assert "channel layer group_discard failed" not in text
        assert cleaned, "the storm left subscriptions behind"
    finally:
        await http.close()
        await stop_all([late], late_tasks)


async def test_an_idle_socket_on_the_redis_layer_stays_open(stack, redis_server):
    """A quiet minute in the meeting must not drop anyone: sockets idle for 12 s with the
    layer configured exactly as REDIS_URL alone configures it."""
    url, leader = stack.database()
    server = stack.server(url, redis=redis_server)
    meeting = await seed_meeting(server.url, leader, 3)
    views = [BoardClient(server.ws_url, meeting.audit_id, t, since=None) for t in meeting.tokens]
    tasks = await connect_all(views, timeout=10)
    try:
        await asyncio.sleep(12)
        assert [v.connects for v in views] == [1, 1, 1]
        assert not problems_in_log(server.log())
    finally:
        await stop_all(views, tasks)
