"""Fixtures for the scale and fault tests: real `flipchart serve` processes, redis-server and
PostgreSQL on loopback, started and stopped by the tests themselves.

The database the servers use follows the run: a SQLite file by default; PostgreSQL when the
run's DATABASE_URL points at one (CI's second pass), each test on a fresh database made on that
server. When the run has a REDIS_URL, the fault tests also put their servers on a Redis channel
layer (their own redis-server, which they are free to kill).

Fixtures:
- ``stack``: ``stack.database(kind=None) -> (url, leader_token)`` (a fresh, migrated database
  with one leader, copied from a per-run template) and ``stack.server(url, redis=..., workers=...,
  env=...) -> FlipchartServer`` (started; killed after the test).
- ``redis_server``: a fresh redis-server for this test.
- ``postgres``: the run's PostgreSQL (a throwaway cluster unless DATABASE_URL names one).
"""

from __future__ import annotations

import faulthandler
import os
import sqlite3
from pathlib import Path

import pytest

from bench.harness import (
    ExternalPostgres,
    FlipchartServer,
    PostgresServer,
    RedisServer,
    database_name,
    sqlite_path,
    sqlite_url,
)

RUN_DATABASE_URL = os.environ.get("DATABASE_URL", "")
DEFAULT_DB = (
    "postgres" if RUN_DATABASE_URL.startswith(("postgres://", "postgresql://")) else "sqlite"
)
RUN_HAS_REDIS = bool(os.environ.get("REDIS_URL"))
TEST_TIMEOUT = 300  # seconds; a hung test dumps its stacks and ends the run


@pytest.fixture(autouse=True)
def _hang_guard():
    """No scale test may hang CI: past the limit, print every thread's stack and exit."""
    faulthandler.dump_traceback_later(TEST_TIMEOUT, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session")
def postgres():
    server = (
        ExternalPostgres(RUN_DATABASE_URL) if DEFAULT_DB == "postgres" else PostgresServer().start()
    )
    yield server
    server.stop()


class _Templates:
    """One migrated database per kind (with a leader), copied for every test."""

    def __init__(self, root: Path, request):
        self.root = root
        self.request = request
        self.made: dict[str, tuple[str, str]] = {}

    def get(self, kind: str) -> tuple[str, str]:
        if kind not in self.made:
            if kind == "sqlite":
                path = self.root / "template" / "template.sqlite3"
                path.parent.mkdir(parents=True, exist_ok=True)
                url = sqlite_url(path)
            else:
                pg = self.request.getfixturevalue("postgres")
                url = pg.create_database(f"flipchart_tpl_{os.getpid()}")
                self.request.addfinalizer(lambda: pg.drop_database(database_name(url)))
            rig = FlipchartServer(self.root / f"template-{kind}", url)
            rig.migrate()
            token = rig.create_leader()
            self.made[kind] = (url, token)
        return self.made[kind]


@pytest.fixture(scope="session")
def _templates(tmp_path_factory, request):
    return _Templates(tmp_path_factory.mktemp("scale"), request)


class Stack:
    def __init__(self, tmp: Path, templates: _Templates, request):
        self.tmp = tmp
        self.templates = templates
        self.request = request
        self.servers: list[FlipchartServer] = []
        self.redises: list[RedisServer] = []
        self.cleanups: list = []  # run after the servers have stopped
        self.n = 0

    def redis(self) -> RedisServer:
        """A redis-server for this test, stopped only after the test's Flipchart servers."""
        self.n += 1
        server = RedisServer(self.tmp / f"redis{self.n}").start()
        self.redises.append(server)
        return server

    def database(self, kind: str | None = None) -> tuple[str, str]:
        """A fresh migrated database with one leader: (DATABASE_URL, leader API token)."""
        kind = kind or DEFAULT_DB
        template_url, token = self.templates.get(kind)
        self.n += 1
        if kind == "sqlite":
            target = self.tmp / f"db{self.n}" / "flipchart.sqlite3"
            target.parent.mkdir(parents=True, exist_ok=True)
            src = sqlite3.connect(sqlite_path(template_url))
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
            return sqlite_url(target), token
        pg = self.request.getfixturevalue("postgres")
        url = pg.create_database(template=database_name(template_url))
        self.cleanups.append(lambda: pg.drop_database(database_name(url)))
        return url, token

    def server(
        self,
        database_url: str,
        *,
        redis: RedisServer | None = None,
        workers: int = 1,
        env: dict | None = None,
        start: bool = True,
    ) -> FlipchartServer:
        self.n += 1
        server = FlipchartServer(
            self.tmp / f"server{self.n}",
            database_url,
            redis_url=redis.url if redis else None,
            workers=workers,
            env=env,
        )
        self.servers.append(server)
        if start:
            server.start()
        return server


@pytest.fixture
def stack(tmp_path, _templates, request):
    s = Stack(tmp_path, _templates, request)
    yield s
    for server in s.servers:
        server.stop(timeout=3)  # graceful shutdown is not under test here (see benchmarks.md)
    for redis in s.redises:
        redis.cleanup()
    for cleanup in s.cleanups:
        cleanup()
    if getattr(request.node, "rep_call_failed", False):
        for server in s.servers:
            print(f"--- {server.log_path} (last 4000 chars) ---\n{server.log()[-4000:]}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


@pytest.fixture
def redis_server(stack):
    return stack.redis()


@pytest.fixture
def layer_redis(stack):
    """A Redis for the server's channel layer when this run tests the scaled stack, else None."""
    return stack.redis() if RUN_HAS_REDIS else None
