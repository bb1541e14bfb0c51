"""Fan-out: N participants' sockets (default 200) on one board, notes posted at a steady rate;
latency from the POST to each socket's receipt (p50, p95, p99, max), the time until the last
socket has a note, and deliveries lost. In the same run, the same clients against a bare
`websockets.broadcast()` server (bench/baseline_server.py), so the ratio shows Flipchart's
overhead on this machine rather than the machine's speed.

Run:  .venv/bin/python bench/fanout.py                                # 200 sockets, 30 s
      .venv/bin/python bench/fanout.py --sockets 50,200,500 --workers 1,2 --duration 60
      .venv/bin/python bench/fanout.py --postgres --redis --no-baseline
Lost = deliveries that never reached a socket by the end of the run (a later event would fill
the gap from the database; the final notes have no later event, so loss shows).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    BenchStack,
    free_port,
    install_uvloop,
    machine,
    percentile,
    seed_meeting,
)
from bench.load import read_log, run_load  # noqa: E402

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    stack: str
    sockets: int
    rate: float
    notes: int
    deliveries: int
    expected: int
    p50: float
    p95: float
    p99: float
    max: float
    last_p50: float
    last_p95: float
    api_p95: float = float("nan")
    errors: int = 0

    @property
    def lost(self) -> int:
        return self.expected - self.deliveries


def _ms(values: list[float], p: float) -> float:
    return percentile(values, p) * 1000


async def baseline(sockets: int, rate: float, duration: float, deflate: bool) -> Row:
    """The same clients and schedule against the bare broadcast server."""
    from websockets.asyncio.client import connect

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "baseline_server.py"), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
        assert line.strip() == "ready", line
        sent_at: dict[int, float] = {}
        latencies: list[float] = []
        last: dict[int, float] = {}
        compression = "deflate" if deflate else None

        async def listen(ws):
            async for raw in ws:
                now = time.perf_counter()
                n = json.loads(raw)["seq"]
                latencies.append(now - sent_at[n])
                last[n] = now - sent_at[n]

        url = f"ws://127.0.0.1:{port}"
        listeners = []
        for start in range(0, sockets, 50):
            listeners += await asyncio.gather(
                *(
                    connect(f"{url}/listen", compression=compression, open_timeout=30)
                    for _ in range(start, min(sockets, start + 50))
                )
            )
        tasks = [asyncio.create_task(listen(ws)) for ws in listeners]
        await asyncio.sleep(0.5)  # the server registers the last listeners
        sender = await connect(f"{url}/send", compression=compression)
        started = time.monotonic()
        n = 0
        while (now := time.monotonic()) < started + duration:
            due = started + n / rate
            if due > now:
                await asyncio.sleep(due - now)
            # Shaped and sized like Flipchart's note.created frame.
            frame = {
                "type": "note.created",
                "seq": n,
                "note": {
                    "id": n,
                    "seq": n,
                    "chart": "strength",
                    "text": f"load note {n}",
                    "area": None,
                    "theme": None,
                    "created": "2026-01-01T09:00:00.000000+00:00",
                    "updated": "2026-01-01T09:00:00.000000+00:00",
                },
            }
            sent_at[n] = time.perf_counter()
            await sender.send(json.dumps(frame))
            n += 1
        deadline = time.monotonic() + 10
        while len(latencies) < n * sockets and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await sender.close()
        for ws in listeners:
            await ws.close()
        for task in tasks:
            task.cancel()
        values = list(last.values())
        return Row(
            "websockets broadcast() baseline",
            sockets,
            rate,
            n,
            len(latencies),
            n * sockets,
            _ms(latencies, 50),
            _ms(latencies, 95),
            _ms(latencies, 99),
            max(latencies, default=float("nan")) * 1000,
            _ms(values, 50),
            _ms(values, 95),
        )
    finally:
        proc.terminate()
        proc.wait(10)


async def flipchart(args, sockets: int, workers: int) -> Row:
    with BenchStack(workers=workers, redis=args.redis, postgres=args.postgres) as stack:
        meeting = await seed_meeting(stack.server.url, stack.leader_token, sockets)
        result = await run_load(
            stack.server.url,
            stack.server.ws_url,
            meeting,
            sockets=sockets,
            note_rate=args.rate,
            writers=0,
            duration=args.duration,
            settle=10,
            deflate=not args.no_deflate,
        )
        read_log(result, stack.server.log())
        d, f = result.delivery_ms, result.fanout_ms
        return Row(
            f"Flipchart: {stack.describe()}",
            sockets,
            args.rate,
            result.notes_posted,
            result.deliveries,
            result.deliveries_expected,
            d["p50"],
            d["p95"],
            d["p99"],
            d["max"],
            f["p50"],
            f["p95"],
            api_p95=result.api_ms.get("POST notes", {}).get("p95", float("nan")),
            errors=result.server_errors + result.database_locked + result.log_problems,
        )


def table(rows: list[Row]) -> str:
    head = (
        "| stack | sockets | notes/s | notes | deliveries | lost | p50 ms | p95 ms | p99 ms "
        "| max ms | last socket p50 / p95 ms | POST p95 ms | errors |"
    )
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        lines.append(
            f"| {r.stack} | {r.sockets} | {r.rate:g} | {r.notes} | {r.deliveries} | {r.lost} "
            f"| {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.max:.1f} "
            f"| {r.last_p50:.1f} / {r.last_p95:.1f} | {r.api_p95:.0f} | {r.errors} |"
        )
    return "\n".join(lines).replace("| nan |", "| – |")


async def main_async(args) -> list[Row]:
    rows = []
    for sockets in args.sockets:
        if not args.no_baseline:
            base = await baseline(sockets, args.rate, args.duration, not args.no_deflate)
            rows.append(base)
            print(table([base]).splitlines()[-1], flush=True)
        for workers in args.workers:
            row = await flipchart(args, sockets, workers)
            rows.append(row)
            line = table([row]).splitlines()[-1]
            if not args.no_baseline and base.p95 > 0:
                line += f"  (p95 = {row.p95 / base.p95:.1f}x baseline)"
            print(line, flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])

    def ints(text: str) -> list[int]:
        return [int(x) for x in text.split(",")]

    parser.add_argument("--sockets", type=ints, default=[200], help="e.g. 50,200,500")
    parser.add_argument("--workers", type=ints, default=[1], help="e.g. 1,2 (2+ uses Redis)")
    parser.add_argument("--rate", type=float, default=5, help="notes per second (default 5)")
    parser.add_argument("--duration", type=float, default=30, help="seconds per run (default 30)")
    parser.add_argument("--redis", action="store_true", help="Redis layer even with one worker")
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL cluster, not SQLite")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--no-deflate", action="store_true", help="clients do not offer permessage-deflate"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    loop = install_uvloop()
    info = machine()
    print(f"machine: {info}  clients on {loop}", flush=True)
    print(table([]), flush=True)
    rows = asyncio.run(main_async(args))
    print()
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "args": vars(args) | {"json": str(args.json)}}
        payload["rows"] = [asdict(r) | {"lost": r.lost} for r in rows]
        args.json.write_text(json.dumps(payload, indent=2, default=str))
    return 1 if any(r.lost or r.errors for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
