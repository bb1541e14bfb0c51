"""/healthz (the process is up) and /readyz (database, channel layer and shared cache reachable)
for the proxy or orchestrator; and the check that stops several workers without Redis."""

from __future__ import annotations

import asyncio
import subprocess
import time

import pytest
from django.test import Client

from bench.harness import FlipchartServer, HttpClient, flipchart_command, sqlite_url
from flipchart import health

# --- in process ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_says_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_readyz_says_ok_when_everything_answers():
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == body["channel_layer"] == "ok"


@pytest.mark.django_db
def test_readyz_names_an_unreachable_database(monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["channel_layer"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_readyz_gives_up_on_a_channel_layer_that_hangs(monkeypatch):
    async def hangs():
        await asyncio.sleep(30)

    monkeypatch.setattr(health, "_channel_layer", hangs)
    monkeypatch.setattr(health, "READY_TIMEOUT", 0.3)
    started = time.monotonic()
    response = Client().get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "channel_layer": "unreachable",
        **({"cache": "ok"} if "cache" in response.json() else {}),
    }


def _check(tmp_path, **env) -> subprocess.CompletedProcess:
    rig = FlipchartServer(tmp_path, sqlite_url(tmp_path / "db.sqlite3"), env=env)
    environment = rig.env()
    if "REDIS_URL" not in env:
        environment.pop("REDIS_URL", None)
    return subprocess.run(
        [*flipchart_command(), "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_refuses_several_workers_on_the_in_process_layer(tmp_path):
    for variable in ("WORKERS", "WEB_CONCURRENCY"):
        done = _check(tmp_path, **{variable: "2"})
        assert done.returncode != 0, variable
        assert "flipchart.E001" in done.stderr + done.stdout


def test_check_accepts_several_workers_with_redis_or_one_without(tmp_path):
    assert _check(tmp_path, WORKERS="1").returncode == 0
    # The check reads the configuration only; nothing needs to listen on this port.
    done = _check(tmp_path, WORKERS="4", REDIS_URL="redis://127.0.0.1:9/0")
    assert done.returncode == 0, done.stderr


# --- a real server, a real Redis ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.asyncio
async def test_readyz_is_503_while_redis_is_down_and_healthz_stays_200(stack, redis_server):
    url, _leader = stack.database()
    server = stack.server(url, redis=redis_server)
    http = HttpClient(server.url, timeout=15)
    try:
        ready = await http.get("/readyz")
        assert ready.status == 200, ready.body
        assert ready.json() == {
            "status": "ok",
            "database": "ok",
            "channel_layer": "ok",
            "cache": "ok",
        }

        redis_server.kill()
        ready = await http.get("/readyz")
        assert ready.status == 503
        assert ready.json()["channel_layer"] == "unreachable"
        assert ready.json()["cache"] == "unreachable"
        assert ready.json()["database"] == "ok"
        print(f"readyz with Redis down answered in {ready.elapsed:.2f} s")
        assert ready.elapsed < 8
        assert (await http.get("/healthz")).status == 200

        redis_server.start()
        ready = await http.get("/readyz")
        assert ready.status == 200, ready.body
    finally:
        await http.close()
