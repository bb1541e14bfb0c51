"""The `flipchart` command: `flipchart serve`, else any Django management command."""

from __future__ import annotations

import argparse
import os
import sys


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="flipchart serve", description="Serve Flipchart (ASGI).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))
    parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
    args = parser.parse_args(argv)
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        print(
            "flipchart serve: --workers above 1 needs REDIS_URL. Each worker would keep its own "
            "live-board channel, and about half the live updates would never arrive.",
            file=sys.stderr,
        )
        return 2
    import django
    from django.core.management import call_command

    django.setup()
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    import uvicorn

    uvicorn.run(
        "flipchart.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ws_max_size=64 * 1024,
        ws_ping_interval=20,
        # Frames are a few hundred bytes of JSON: compressing each one for each socket cost
        # more CPU than anything else in a big meeting (docs/benchmarks.md), and saved little.
        ws_per_message_deflate=False,
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipchart.settings")
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["flipchart", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
