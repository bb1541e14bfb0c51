"""Load: a full staff meeting on one board while the questionnaire is still being answered.

N sockets (default 200) watch the board, notes arrive at a steady rate (default 20/s, posted over
HTTP by participants), and W concurrent HTTP writers (default 4) answer the questionnaire with
PUT /api/v1/me/answers, each saving the whole questionnaire twice a second (--writer-rate; the
browser autosaves 300 ms after a change, so this is a teacher clicking through as fast as they
can; 0 = flat out, which only measures how much CPU the writers can take). Reports the
"database is locked" count (server log), 5xx count, API latency (p50/p95/max) per endpoint,
and fan-out: post-to-delivery latency on every socket and deliveries lost.

Run:  .venv/bin/python bench/load.py                      # 10 minutes, SQLite, 1 worker
      .venv/bin/python bench/load.py --duration 60 --postgres --workers 2
      .venv/bin/python bench/load.py --duration 120 --sockets 50,200,500 --workers 1,2
tests/scale/test_load.py runs the same code for 8 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    BenchStack,
    BoardClient,
    HttpClient,
    Meeting,
    connect_all,
    install_uvloop,
    machine,
    percentile,
    problems_in_log,
    seed_meeting,
    stop_all,
)


@dataclass
class LoadResult:
    setup: str = ""
    duration: float = 0.0
    sockets: int = 0
    note_rate: float = 0.0
    writers: int = 0
    notes_posted: int = 0
    answers_sent: int = 0
    statuses: dict = field(default_factory=dict)  # "notes 201": n, ...
    server_errors: int = 0  # 5xx answers and requests that got no answer
    database_locked: int = 0
    log_problems: int = 0
    api_ms: dict = field(default_factory=dict)  # endpoint -> {p50, p95, max, n}
    deliveries_expected: int = 0
    deliveries: int = 0
    lost: int = 0
    delivery_ms: dict = field(default_factory=dict)  # post -> each socket: p50, p95, p99, max
    fanout_ms: dict = field(default_factory=dict)  # post -> the last of the sockets, per note
    late_posts: int = 0  # posts that started more than 100 ms behind schedule
    unfinished: int = 0  # requests still unanswered 120 s after the run (cancelled)
    drain_s: float | None = None  # after the last post, until every socket had every note

    def table(self) -> str:
        rows = [
            ("setup", self.setup),
            ("duration", f"{self.duration:.0f} s"),
            (
                "sockets / notes per s / writers",
                f"{self.sockets} / {self.note_rate:g} / {self.writers}",
            ),
            ("notes posted / answer sets sent", f"{self.notes_posted} / {self.answers_sent}"),
            ("database is locked", str(self.database_locked)),
            ("5xx or no answer", str(self.server_errors)),
            ("other log errors", str(self.log_problems)),
        ]
        for name, stats in self.api_ms.items():
            rows.append(
                (
                    f"API {name} p50 / p95 / max",
                    f"{stats['p50']:.0f} / {stats['p95']:.0f} / {stats['max']:.0f} ms "
                    f"(n={stats['n']})",
                )
            )
        for label, f in (
            ("post->socket p50 / p95 / p99 / max", self.delivery_ms),
            ("post->last socket p50 / p95 / p99 / max", self.fanout_ms),
        ):
            rows.append(
                (
                    label,
                    f"{f.get('p50', 0):.0f} / {f.get('p95', 0):.0f} / {f.get('p99', 0):.0f} / "
                    f"{f.get('max', 0):.0f} ms",
                )
            )
        rows += [
            (
                "deliveries / missing at the end",
                f"{self.deliveries} of {self.deliveries_expected} / {self.lost}",
            ),
            (
                "backlog drained after the last post",
                "–" if self.drain_s is None else f"{self.drain_s:.1f} s",
            ),
        ]
        width = max(len(r[0]) for r in rows)
        return "\n".join(f"| {k.ljust(width)} | {v} |" for k, v in rows)


def _ms(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 50) * 1000,
        "p95": percentile(values, 95) * 1000,
        "p99": percentile(values, 99) * 1000,
        "max": (max(values) if values else float("nan")) * 1000,
        "n": len(values),
    }


async def run_load(
    base_url: str,
    ws_url: str,
    meeting: Meeting,
    *,
    sockets: int,
    note_rate: float,
    writers: int,
    duration: float,
    writer_rate: float = 0.0,
    settle: float = 15.0,
    seed: int = 1,
    progress: bool = False,
    deflate: bool = True,
) -> LoadResult:
    """Drive the meeting; the caller owns the server (and reads its log afterwards)."""
    rng = random.Random(seed)
    result = LoadResult(duration=duration, sockets=sockets, note_rate=note_rate, writers=writers)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    received = collections.Counter()
    last: dict[str, float] = {}

    def on_event(frame: dict, now: float) -> None:
        if frame.get("type") == "note.created":
            text = frame["note"]["text"]
            started = sent_at.get(text)
            if started is not None:
                latencies.append(now - started)
                received[text] += 1
                last[text] = now - started

    clients = [
        BoardClient(
            ws_url,
            meeting.audit_id,
            meeting.tokens[i % len(meeting.tokens)],
            since=None,
            on_event=on_event,
            deflate=deflate,
            ping_every=25,  # as the browser does
        )
        for i in range(sockets)
    ]
    tasks = await connect_all(clients, timeout=120)
    statuses = collections.Counter()
    api = collections.defaultdict(list)
    stop = asyncio.Event()

    async def call(http: HttpClient, kind: str, method: str, path: str, body) -> None:
        try:
            response = await http.request(method, path, body)
        except (ConnectionError, OSError, TimeoutError):
            statuses[f"{kind} no answer"] += 1
            return
        statuses[f"{kind} {response.status}"] += 1
        api[kind].append(response.elapsed)

    async def writer(token: str) -> None:
        http = HttpClient(base_url, token, timeout=30)
        wrng = random.Random(rng.random())
        try:
            while not stop.is_set():
                started = time.monotonic()
                await call(
                    http, "PUT me/answers", "PUT", "/api/v1/me/answers", meeting.answers(wrng)
                )
                result.answers_sent += 1
                if writer_rate:
                    pause = 1 / writer_rate - (time.monotonic() - started)
                    if pause > 0:
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(stop.wait(), pause)
        finally:
            await http.close()

    posters: asyncio.Queue[HttpClient] = asyncio.Queue()
    for i in range(32):  # enough phones that posts never queue on this side
        posters.put_nowait(
            HttpClient(base_url, meeting.tokens[(i * 7) % len(meeting.tokens)], timeout=30)
        )

    async def post(n: int) -> None:
        http = await posters.get()
        text = f"load note {n}"
        body = {
            "chart": rng.choice(["strength", "improvement"]),
            "text": text,
            "client_id": f"load-{n}",
        }
        sent_at[text] = time.perf_counter()
        try:
            await call(http, "POST notes", "POST", meeting.notes_path, body)
        finally:
            posters.put_nowait(http)

    writer_tasks = (
        [asyncio.create_task(writer(t)) for t in meeting.tokens[-writers:]] if writers else []
    )
    post_tasks = []
    started = time.monotonic()
    n = 0
    next_report = started + 30
    while (now := time.monotonic()) < started + duration:
        due = started + n / note_rate
        if due > now:
            await asyncio.sleep(due - now)
        elif now - due > 0.1:
            result.late_posts += 1
        post_tasks.append(asyncio.create_task(post(n)))
        n += 1
        if progress and time.monotonic() > next_report:
            next_report += 30
            print(
                f"  {time.monotonic() - started:4.0f} s: {n} notes, "
                f"{result.answers_sent} answer sets, {sum(received.values())} deliveries",
                flush=True,
            )
    stop.set()
    _done, pending = await asyncio.wait([*post_tasks, *writer_tasks], timeout=120)
    for task in pending:
        task.cancel()
    result.unfinished = len(pending)
    result.notes_posted = n
    result.deliveries_expected = statuses.get("POST notes 201", 0) * sockets
    posting_ended = time.monotonic()
    deadline = posting_ended + settle
    while sum(received.values()) < result.deliveries_expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    if sum(received.values()) >= result.deliveries_expected:
        result.drain_s = time.monotonic() - posting_ended
    result.deliveries = sum(received.values())
    result.lost = result.deliveries_expected - result.deliveries
    result.statuses = dict(sorted(statuses.items()))
    result.server_errors = sum(
        count
        for key, count in statuses.items()
        if key.endswith("no answer") or key.split()[-1].startswith("5")
    )
    result.api_ms = {kind: _ms(values) for kind, values in sorted(api.items())}
    result.delivery_ms = _ms(latencies)
    result.fanout_ms = _ms(list(last.values()))
    await stop_all(clients, tasks)
    while not posters.empty():
        await posters.get_nowait().close()
    return result


def read_log(result: LoadResult, log_text: str) -> None:
    result.database_locked = log_text.count("database is locked")
    result.log_problems = len(problems_in_log(log_text))


async def main_async(args) -> list[LoadResult]:
    results = []
    for workers in args.workers:
        for sockets in args.sockets:
            with BenchStack(workers=workers, redis=args.redis, postgres=args.postgres) as stack:
                participants = max(sockets, args.writers + 8, 10)
                meeting = await seed_meeting(stack.server.url, stack.leader_token, participants)
                title = f"{stack.describe()}, {sockets} sockets: {args.duration:.0f} s"
                print(f"== {title}", flush=True)
                result = await run_load(
                    stack.server.url,
                    stack.server.ws_url,
                    meeting,
                    sockets=sockets,
                    note_rate=args.rate,
                    writers=args.writers,
                    writer_rate=args.writer_rate,
                    duration=args.duration,
                    settle=args.settle,
                    progress=True,
                    deflate=not args.no_deflate,
                )
                result.setup = stack.describe()
                read_log(result, stack.server.log())
                if args.json:  # keep the server's log beside the figures
                    log_path = args.json.with_name(
                        f"{args.json.stem}-{workers}w-{sockets}s.server.log"
                    )
                    log_path.parent.mkdir(parents=True, exist_ok=True)
                    log_path.write_text(stack.server.log())
                print(result.table(), flush=True)
                results.append(result)
    return results


def summary(results: list[LoadResult]) -> str:
    """One Markdown row per run, as docs/benchmarks.md shows them."""
    head = (
        "| setup | sockets | s | notes / answer sets | locked | 5xx | POST note p95 | "
        "PUT answers p95 | post->socket p50 / p95 / p99 | deliveries | lost |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = []
    for r in results:
        api = {k: v["p95"] for k, v in r.api_ms.items()}
        d = r.delivery_ms
        rows.append(
            f"| {r.setup} | {r.sockets} | {r.duration:.0f} | {r.notes_posted:,} / "
            f"{r.answers_sent:,} | {r.database_locked} | {r.server_errors} | "
            f"{api.get('POST notes', float('nan')):.0f} ms | "
            f"{api.get('PUT me/answers', float('nan')):.0f} ms | "
            f"{d.get('p50', 0):.0f} / {d.get('p95', 0):.0f} / {d.get('p99', 0):.0f} ms | "
            f"{r.deliveries:,} of {r.deliveries_expected:,} | {r.lost} |"
        )
    return "\n".join([head, *rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--sockets", type=lambda s: [int(x) for x in s.split(",")], default=[200])
    parser.add_argument("--rate", type=float, default=20, help="notes per second")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument(
        "--writer-rate",
        type=float,
        default=2,
        help="answer sets per second per writer (default 2; 0: flat out)",
    )
    parser.add_argument(
        "--settle", type=float, default=120, help="seconds to wait for a backlog to drain"
    )
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1])
    parser.add_argument("--redis", action="store_true", help="Redis layer even with one worker")
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL cluster, not SQLite")
    parser.add_argument(
        "--no-deflate", action="store_true", help="clients do not offer permessage-deflate"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    loop = install_uvloop()
    print(f"machine: {machine()}  clients on {loop}", flush=True)
    results = asyncio.run(main_async(args))
    print(summary(results), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"machine": machine(), "runs": [asdict(r) for r in results]}, indent=2)
        )
    bad = any(r.database_locked or r.server_errors for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
