"""The physical baseline for bench/fanout.py: a bare `websockets` server that relays every
message sent to /send to every socket on /listen with `websockets.broadcast()` — no framework,
no database, no authorisation. Same machine, same loop (uvloop when present), same clients.

Run by bench/fanout.py:  python bench/baseline_server.py --port P   (prints "ready" when up)
"""

from __future__ import annotations

import argparse
import asyncio

from websockets.asyncio.server import broadcast, serve

LISTENERS: set = set()


async def handler(ws) -> None:
    if ws.request.path == "/send":
        async for message in ws:
            broadcast(LISTENERS, message)
        return
    LISTENERS.add(ws)
    try:
        await ws.wait_closed()
    finally:
        LISTENERS.discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, ping_interval=20, max_size=64 * 1024):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.run(main(args.port))
    except ImportError:
        asyncio.run(main(args.port))
