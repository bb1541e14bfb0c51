"""Every benchmark, one after another (`make bench`; `make bench-quick` passes --quick).

Full: fan-out for 50, 200 and 500 sockets with 1 and 2 workers (SQLite, and PostgreSQL with
2 workers), each beside the bare-websockets baseline; the 10-minute meeting load on SQLite
(1 worker) and on PostgreSQL (2 workers); the same load for 2 minutes at 50, 200 and 500
sockets with 1 and 2 workers on each database; then the other bench/bench_*.py scripts. About
an hour and a half on a 2-core machine. --quick: small sizes, seconds per run, a few minutes in all.
JSON results go to bench/results/ (not committed); docs/benchmarks.md holds the recorded ones.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def run(name: str, *args: str) -> int:
    print(f"\n### {name} {' '.join(args)}", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, str(HERE / name), *args])
    print(f"### {name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / stamp
    if args.quick:
        steps = [
            ("fanout.py", "--sockets", "50,200", "--workers", "1,2", "--duration", "10"),
            ("load.py", "--duration", "30", "--sockets", "100", "--json", f"{out}/load.json"),
        ]
    else:
        steps = [
            ("fanout.py", "--sockets", "50,200,500", "--workers", "1,2", "--duration", "30",
             "--json", f"{out}/fanout-sqlite.json"),
            ("fanout.py", "--sockets", "200", "--workers", "2", "--postgres", "--duration", "30",
             "--no-baseline", "--json", f"{out}/fanout-postgres.json"),
            ("load.py", "--duration", "600", "--json", f"{out}/load-sqlite.json"),
            ("load.py", "--duration", "600", "--postgres", "--workers", "2",
             "--json", f"{out}/load-postgres.json"),
            ("load.py", "--duration", "120", "--sockets", "50,200,500", "--workers", "1,2",
             "--json", f"{out}/load-grid-sqlite.json"),
            ("load.py", "--duration", "120", "--sockets", "50,200,500", "--workers", "1,2",
             "--postgres", "--json", f"{out}/load-grid-postgres.json"),
        ]  # fmt: skip
    others = sorted(p.name for p in HERE.glob("bench_*.py"))
    for name in others:
        quick = args.quick and '"--quick"' in (HERE / name).read_text()
        steps.append((name, "--quick") if quick else (name,))
    failures = [step[0] for step in steps if run(*step) != 0]
    print(f"\nresults in {out}" if out.exists() else "")
    if failures:
        print(f"failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
