"""The rig shared by tests/scale/ and the benchmarks: real processes on loopback.

- ``RedisServer``: a throwaway redis-server on a free 127.0.0.1 port, nothing saved to disk.
- ``PostgresServer``: a throwaway PostgreSQL cluster (initdb in a temp dir, run as the
  ``postgres`` user when we are root), loopback only; ``ExternalPostgres`` uses one you have.
- ``FlipchartServer``: ``flipchart serve`` as a subprocess with a chosen environment; SIGKILL,
  restart on the same port, read its log.
- ``HttpClient``: a small asyncio HTTP/1.1 client with keep-alive (the stdlib has none and the
  project pins no HTTP client library).
- ``BoardClient``: one participant's live board over the WebSocket, reconnecting with ``since``
  like the browser does, keeping the notes it has seen.
- ``seed_meeting``: a round with N participants made through the HTTP API, as a school would.

Everything talks only to 127.0.0.1 and every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
SECRET_KEY = "scale-rig-not-secret-" + "k" * 50

# --- small helpers -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval=0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((LOOPBACK, port)) == 0


# --- Redis -------------------------------------------------------------------------------


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if not found:
        raise RuntimeError(
            "redis-server is missing: run `make system-deps` as root "
            "(or apt-get install redis-server)."
        )
    return found


class RedisServer:
    """redis-server on a free loopback port in a temp dir; stoppable and restartable."""

    def __init__(self, workdir: Path | None = None, port: int | None = None):
        self.port = port or free_port()
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="flipchart-redis-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self, timeout: float = 15) -> RedisServer:
        if self.proc and self.proc.poll() is None:
            return self
        cmd = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            LOOPBACK,
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--maxclients",
            "10000",
            "--logfile",
            str(self.dir / "redis.log"),
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self.ping, timeout, f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def client(self):
        import redis

        return redis.Redis(host=LOOPBACK, port=self.port, socket_timeout=5)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        self.proc = None

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- PostgreSQL --------------------------------------------------------------------------


def postgres_bindir() -> Path:
    """The newest Debian PostgreSQL server binaries (initdb and pg_ctl live off PATH)."""

    def version(path: Path) -> tuple:
        return tuple(int(x) for x in re.findall(r"\d+", path.parent.parent.name)) or (0,)

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError(
        "PostgreSQL server binaries are missing: run `make system-deps` as root "
        "(or apt-get install postgresql)."
    )


class PostgresServer:
    """A throwaway cluster on a free loopback port with a role `flipchart` that may CREATEDB.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    ``fast=True`` turns fsync off: fine for tests, never for a benchmark you quote.
    """

    ROLE, PASSWORD = "flipchart", "flipchart-local-only"

    def __init__(self, port: int | None = None, fast: bool = True):
        self.port = port or free_port()
        self.fast = fast
        self.bindir = postgres_bindir()
        self.dir: Path | None = None
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def sockdir(self) -> Path:
        return self.dir / "sock"

    def _run(self, args: list, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
        result = subprocess.run(
            args,
            user=self.user,
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kw,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
        return result

    def start(self) -> PostgresServer:
        self.dir = Path(tempfile.mkdtemp(prefix="flipchart-pg-"))
        self.sockdir.mkdir()
        if self.user:
            for path in (self.dir, self.sockdir):
                shutil.chown(path, self.user, self.user)
        initdb = [
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        ]
        if self.fast:
            initdb.append("--no-sync")
        self._run(initdb)
        options = f"-p {self.port} -k {self.sockdir} -c listen_addresses={LOOPBACK}"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.dir / "postgres.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]
        )
        self.psql(
            f"CREATE ROLE {self.ROLE} LOGIN CREATEDB PASSWORD '{self.PASSWORD}'",
        )
        return self

    def psql(self, sql: str, db: str = "postgres") -> str:
        return self._run(
            [
                str(self.bindir / "psql"),
                "-h",
                str(self.sockdir),
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-c",
                sql,
            ],
            timeout=60,
        ).stdout

    def url(self, db: str) -> str:
        return f"postgresql://{self.ROLE}:{self.PASSWORD}@{LOOPBACK}:{self.port}/{db}"

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        name = name or f"flipchart_{uuid.uuid4().hex[:10]}"
        extra = f" TEMPLATE {template}" if template else ""
        self.psql(f"CREATE DATABASE {name} OWNER {self.ROLE}{extra}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        if self.dir is None:  # the whole cluster is gone already
            return
        with contextlib.suppress(RuntimeError):
            self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.dir is None:
            return
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                timeout=30,
            )
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


class ExternalPostgres:
    """A PostgreSQL server someone else runs (CI's second pass): databases made with the
    role in ``url``, which needs CREATEDB."""

    def __init__(self, url: str):
        self.base_url = url
        parts = urlsplit(url)
        self._netloc = parts.netloc
        self._scheme = parts.scheme

    def _exec(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def url(self, db: str) -> str:
        return f"{self._scheme}://{self._netloc}/{db}"

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        name = name or f"flipchart_{uuid.uuid4().hex[:10]}"
        self._exec(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self._exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        pass


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


# --- Looking into the database directly --------------------------------------------------


class Database:
    """Read-only SQL against the server's database, SQLite file or PostgreSQL.

    Write queries with ``?`` placeholders; they become ``%s`` for PostgreSQL.
    """

    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite")

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.sqlite:
            conn = sqlite3.connect(f"file:{sqlite_path(self.url)}?mode=ro", uri=True, timeout=20)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()

    def board_state(self, audit_id: int) -> dict:
        """The record for one board: its notes, events and seq, straight from the tables."""
        board_id, seq = self.rows(
            "SELECT id, seq FROM board_board WHERE audit_id = ?", (audit_id,)
        )[0]
        notes = self.rows(
            "SELECT id, client_id, text, seq, deleted IS NOT NULL FROM board_note "
            "WHERE board_id = ? ORDER BY id",
            (board_id,),
        )
        events = [
            r[0] for r in self.rows("SELECT seq FROM board_event WHERE board_id = ?", (board_id,))
        ]
        return {"seq": seq, "notes": notes, "event_seqs": sorted(events)}


# --- The Flipchart server ---------------------------------------------------------------


def flipchart_command() -> list[str]:
    script = Path(sys.executable).with_name("flipchart")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flipchart.cli"]


_PASS_THROUGH = (
    "PYTHONPATH",
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "SSL_CERT_FILE",
    "VIRTUAL_ENV",
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def sqlite_path(url: str) -> str:
    """The file behind a sqlite:////absolute/path URL."""
    return url.removeprefix("sqlite:///")


class FlipchartServer:
    """`flipchart serve` in its own process group, so SIGKILL takes its workers too."""

    def __init__(
        self,
        workdir: Path,
        database_url: str,
        *,
        redis_url: str | None = None,
        workers: int = 1,
        port: int | None = None,
        env: dict | None = None,
        log_level: str = "INFO",
    ):
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.workers = workers
        self.database_url = database_url
        self.redis_url = redis_url
        self.extra_env = dict(env or {})
        self.log_level = log_level
        self.proc: subprocess.Popen | None = None
        self.log_path = self.dir / "server.log"
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.port}"

    def env(self) -> dict:
        env = {k: os.environ[k] for k in _PASS_THROUGH if k in os.environ}
        env.update(
            DJANGO_SETTINGS_MODULE="flipchart.settings",
            DATABASE_URL=self.database_url,
            SECRET_KEY=SECRET_KEY,
            FLIPCHART_DATA_DIR=str(self.dir / "data"),
            DEBUG="0",
            ALLOWED_HOSTS=LOOPBACK,
            SITE_URL=self.url,
            LOG_LEVEL=self.log_level,
            PYTHONUNBUFFERED="1",
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, timeout: float = 180) -> str:
        """Run a `flipchart <command>` against this server's database; returns stdout."""
        result = subprocess.run(
            [*flipchart_command(), *args],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flipchart {' '.join(args)} failed: {result.stderr[-3000:]}")
        return result.stdout

    def migrate(self) -> None:
        self.manage("migrate", "--noinput", "-v", "0")

    def create_leader(self, email: str = "lead@example.org", name: str = "Lena Lead") -> str:
        out = self.manage(
            "createleader", "--email", email, "--name", name, "--school", "Scale Test School"
        )
        return out.split()[-1]

    def start(self, timeout: float = 60) -> FlipchartServer:
        if self.running:
            return self
        self.starts += 1
        with self.log_path.open("a") as log:
            log.write(f"\n=== start {self.starts} ===\n")
        self._log_offset = self.log_path.stat().st_size
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                *flipchart_command(),
                "serve",
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--no-migrate",
            ],
            env=self.env(),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

        def ready() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"flipchart serve exited with {self.proc.returncode}:\n{self.log()[-3000:]}"
                )
            started = self.log(since_start=True).count("Started server process")
            return started >= self.workers and self._healthy()

        wait_until(ready, timeout, f"flipchart serve on port {self.port}", interval=0.1)
        return self

    def _healthy(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=1) as s:
                s.settimeout(2)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                # 200, or 301 when the server redirects plain HTTP (SECURE_SSL_REDIRECT=1).
                return s.recv(64).startswith((b"HTTP/1.1 200", b"HTTP/1.1 301"))
        except OSError:
            return False

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no goodbye to anyone."""
        if self.proc is None:
            return
        self.signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait(10)
        # Workers of a multi-process server may outlive the parent for a moment.
        self.signal(signal.SIGKILL)
        self.proc = None

    def log(self, since_start: bool = False) -> str:
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        if since_start:
            data = data[getattr(self, "_log_offset", 0) :]
        return data.decode("utf-8", "replace")


def problems_in_log(text: str) -> list[str]:
    """Lines that mean something went wrong unhandled: errors, locked databases, 500s.
    (A handled warning may carry a traceback; an unhandled one always comes with ERROR.)"""
    bad = re.compile(
        r"\bERROR\b|Exception in ASGI application|database is locked|"
        r"Internal Server Error|\bCRITICAL\b"
    )
    return [line for line in text.splitlines() if bad.search(line)]


# --- HTTP --------------------------------------------------------------------------------


class _NoResponse(ConnectionError):
    """The connection ended before a single byte of the answer."""


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    elapsed: float = 0.0

    def json(self):
        return json.loads(self.body or b"null")


class HttpClient:
    """HTTP/1.1 with keep-alive over asyncio streams; JSON bodies; bearer token.

    A request that finds its kept-alive connection closed by the server before any answer is
    sent again once on a fresh connection (what browsers do). Any other failure raises.
    """

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0, ssl=None):
        parts = urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.token = token
        self.timeout = timeout
        self.ssl = ssl  # an ssl.SSLContext for https://
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1)

    async def request(
        self, method: str, path: str, body=None, headers: dict | None = None
    ) -> Response:
        data = b"" if body is None else json.dumps(body).encode()
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(data)}",
            "Accept: application/json",
        ]
        if body is not None:
            lines.append("Content-Type: application/json")
        if self.token:
            lines.append(f"Authorization: Bearer {self.token}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        for attempt in range(2):
            reused = self._writer is not None
            started = time.perf_counter()
            try:
                if not reused:
                    self._reader, self._writer = await asyncio.wait_for(
                        asyncio.open_connection(self.host, self.port, ssl=self.ssl),
                        self.timeout,
                    )
                self._writer.write(raw)
                response = await asyncio.wait_for(self._read(), self.timeout)
                response.elapsed = time.perf_counter() - started
                return response
            except (_NoResponse, ConnectionResetError, BrokenPipeError) as exc:
                await self.close()
                if reused and attempt == 0:
                    continue
                raise ConnectionError(str(exc) or type(exc).__name__) from exc
            except BaseException:
                await self.close()
                raise
        raise AssertionError("unreachable")

    async def _read(self) -> Response:
        reader = self._reader
        line = await reader.readline()
        if not line:
            raise _NoResponse("connection closed before the answer")
        status = int(line.split()[1])
        headers = {}
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await reader.readline()
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readline()
            body = b"".join(chunks)
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)

    async def get(self, path, **kw):
        return await self.request("GET", path, **kw)

    async def post(self, path, body=None, **kw):
        return await self.request("POST", path, body, **kw)

    async def put(self, path, body=None, **kw):
        return await self.request("PUT", path, body, **kw)

    async def patch(self, path, body=None, **kw):
        return await self.request("PATCH", path, body, **kw)


async def expect(response_awaitable, *statuses: int) -> Response:
    response = await response_awaitable
    if response.status not in statuses:
        raise AssertionError(f"HTTP {response.status} (wanted {statuses}): {response.body[:500]!r}")
    return response


# --- Seeding a meeting through the API ---------------------------------------------------


@dataclass
class Meeting:
    base_url: str
    audit_id: int
    leader_token: str
    tokens: list[str]
    items: list[tuple[int, list[int]]] = field(default_factory=list)  # (id, allowed ratings)

    @property
    def notes_path(self) -> str:
        return f"/api/v1/audits/{self.audit_id}/notes"

    def answers(self, rng: random.Random, submit: bool = False) -> dict:
        """A questionnaire filled in at random: the body of PUT /api/v1/me/answers."""
        return {
            "answers": [
                {"statement": item, "rating": rng.choice([*values, None])}
                for item, values in self.items
            ],
            "submit": submit,
        }


async def seed_meeting(
    base_url: str,
    leader_token: str,
    participants: int,
    *,
    anonymous: bool = True,
    reveal: bool = True,
    title: str = "Scale meeting",
    ssl=None,
) -> Meeting:
    """A team of `participants`, a round for it, and (by default) its board at the reveal,
    so every participant sees every note: the whole board is what each socket must show."""
    http = HttpClient(base_url, leader_token, timeout=60, ssl=ssl)
    try:
        team = (
            await expect(http.post("/api/v1/teams", {"name": title, "kind": "department"}), 201)
        ).json()
        for start in range(0, participants, 500):
            batch = [
                {"name": f"Teacher {i + 1}", "email": f"t{i + 1}.{team['id']}@example.org"}
                for i in range(start, min(participants, start + 500))
            ]
            await expect(http.post(f"/api/v1/teams/{team['id']}/members", {"members": batch}), 201)
        instrument = (await expect(http.get("/api/v1/instruments"), 200)).json()[0]
        audit = (
            await expect(
                http.post(
                    "/api/v1/audits",
                    {
                        "team": team["id"],
                        "instrument": instrument["id"],
                        "title": title,
                        "anonymous": anonymous,
                    },
                ),
                201,
            )
        ).json()
        invitations = (
            await expect(http.get(f"/api/v1/audits/{audit['id']}/invitations"), 200)
        ).json()
        if reveal:
            await expect(
                http.patch(f"/api/v1/audits/{audit['id']}/board", {"phase": "reveal"}), 200
            )
        items = [
            (item["id"], [point["value"] for point in (item.get("scale") or instrument["scale"])])
            for area in instrument["areas"]
            for item in [area["question"], *area["statements"]]
            if item
        ]
        return Meeting(
            base_url, audit["id"], leader_token, [inv["token"] for inv in invitations], items
        )
    finally:
        await http.close()


async def board_notes(base_url: str, meeting: Meeting, ssl=None) -> dict[int, str]:
    """Every note on the board as the facilitator sees it over HTTP: {id: text}."""
    http = HttpClient(base_url, meeting.leader_token, timeout=30, ssl=ssl)
    try:
        data = (await expect(http.get(f"{meeting.notes_path}?since=0"), 200)).json()
        return {n["id"]: n["text"] for n in data["notes"] if not n.get("deleted")}
    finally:
        await http.close()


# --- The live board socket ---------------------------------------------------------------


class BoardClient:
    """One person's board: a socket that reconnects with `since` = the last seq it saw.

    ``notes`` holds what this client would show ({id: note}); ``on_event(frame, t)`` is called
    for every frame with its arrival time (perf_counter), for latency measurements.
    """

    def __init__(
        self,
        ws_base: str,
        audit_id: int,
        token: str,
        *,
        since: int | None = 0,
        on_event: Callable[[dict, float], None] | None = None,
        reconnect: bool = True,
        backoff_cap: float = 2.0,
        ping_every: float | None = None,
        deflate: bool = True,
        ssl=None,
    ):
        self.ssl = ssl  # an ssl.SSLContext for wss://
        self.ws_base, self.audit_id, self.token = ws_base, audit_id, token
        self.deflate = deflate  # offer permessage-deflate, as browsers do
        self.ping_every = ping_every  # the browser sends {"type": "ping"} every 25 s
        self.last_seq = since
        self.on_event = on_event
        self.reconnect = reconnect
        self.backoff_cap = backoff_cap
        self.notes: dict[int, dict] = {}
        self.live = asyncio.Event()  # set after the server's hello, cleared on disconnect
        self.connects = 0
        self.failures = 0
        self.close_codes: list[int | None] = []
        self.frames = 0
        self.ws = None
        self._stop = asyncio.Event()

    def url(self) -> str:
        query = f"token={quote(self.token)}"
        if self.last_seq is not None:
            query += f"&since={self.last_seq}"
        return f"{self.ws_base}/ws/audits/{self.audit_id}/?{query}"

    def apply(self, frame: dict) -> None:
        kind = frame.get("type")
        if isinstance(frame.get("seq"), int) and kind != "error":
            self.last_seq = max(self.last_seq or 0, frame["seq"])
        if kind in ("note.created", "note.updated"):
            note = frame["note"]
            if note.get("deleted") or note.get("hidden"):
                self.notes.pop(note["id"], None)
            else:
                self.notes[note["id"]] = note
        elif kind == "note.deleted":
            self.notes.pop(frame["note"]["id"], None)
        elif kind == "hello":
            self.live.set()

    def view(self) -> dict[int, str]:
        return {note_id: note["text"] for note_id, note in self.notes.items()}

    async def run(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        attempt = 0
        while not self._stop.is_set():
            try:
                async with connect(
                    self.url(),
                    open_timeout=10,
                    close_timeout=2,
                    ping_interval=None,
                    max_size=2**20,
                    compression="deflate" if self.deflate else None,
                    **({"ssl": self.ssl} if self.ssl is not None else {}),
                ) as ws:
                    self.ws = ws
                    self.connects += 1
                    attempt = 0
                    pinger = asyncio.create_task(self._ping(ws)) if self.ping_every else None
                    async for raw in ws:
                        now = time.perf_counter()
                        frame = json.loads(raw)
                        self.frames += 1
                        self.apply(frame)
                        if self.on_event is not None:
                            self.on_event(frame, now)
                    self.close_codes.append(ws.close_code)
                    if pinger is not None:
                        pinger.cancel()
            except ConnectionClosed as exc:
                self.close_codes.append(exc.rcvd.code if exc.rcvd else None)
            except (OSError, InvalidHandshake, TimeoutError):
                self.failures += 1
            finally:
                self.ws = None
                self.live.clear()
            if self.close_codes and self.close_codes[-1] in (4401, 4403, 4003):
                return  # refused: retrying would not help
            if not self.reconnect:
                return
            attempt += 1
            delay = min(self.backoff_cap, 0.05 * 2**attempt) * (0.5 + random.random() / 2)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)

    async def _ping(self, ws) -> None:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(self.ping_every)
                await ws.send('{"type": "ping"}')

    async def close(self) -> None:
        self._stop.set()
        ws = self.ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 3)

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake (a phone losing signal)."""
        self._stop.set()
        ws = self.ws
        if ws is not None:
            ws.transport.abort()


async def connect_all(clients: list[BoardClient], timeout: float, batch: int = 50) -> list:
    """Start every client (in batches, as people arrive) and wait until all are live."""
    tasks = []
    for start in range(0, len(clients), batch):
        group = clients[start : start + batch]
        tasks += [asyncio.create_task(c.run()) for c in group]
        await asyncio.wait_for(asyncio.gather(*(c.live.wait() for c in group)), timeout)
    return tasks


async def stop_all(clients: list[BoardClient], tasks: list, timeout: float = 15) -> None:
    await asyncio.wait_for(asyncio.gather(*(c.close() for c in clients)), timeout)
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()


async def wait_for_condition(check: Callable[[], bool], timeout: float, interval=0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(interval)
    return check()


# --- A whole stack for a benchmark -------------------------------------------------------


class BenchStack:
    """Database (SQLite file, or a PostgreSQL cluster), optional Redis, `flipchart serve`.

    Used as a context manager by the benchmarks; everything lives in one temp dir and goes
    away afterwards unless ``keep`` is set. PostgreSQL runs with fsync on (honest figures).
    """

    def __init__(
        self,
        *,
        workers: int = 1,
        redis: bool = False,
        postgres: bool = False,
        database_url: str | None = None,
        keep: bool = False,
    ):
        self.workers = workers
        self.use_redis = redis or workers > 1
        self.use_postgres = postgres
        self.external_db = database_url
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="flipchart-bench-"))
        self.redis: RedisServer | None = None
        self.pg = None
        self.server: FlipchartServer | None = None
        self.leader_token = ""

    def __enter__(self) -> BenchStack:
        try:
            if self.use_redis:
                self.redis = RedisServer(self.dir / "redis").start()
            if self.external_db:
                url = self.external_db
            elif self.use_postgres:
                self.pg = PostgresServer(fast=False).start()
                url = self.pg.create_database("flipchart_bench")
            else:
                url = sqlite_url(self.dir / "flipchart.sqlite3")
            self.server = FlipchartServer(
                self.dir / "server",
                url,
                redis_url=self.redis.url if self.redis else None,
                workers=self.workers,
            )
            self.server.migrate()
            self.leader_token = self.server.create_leader(
                f"bench{uuid.uuid4().hex[:6]}@example.org"
            )
            self.server.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.server:
            self.server.stop()
        if self.redis:
            self.redis.cleanup()
        if self.pg:
            self.pg.stop()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def describe(self) -> str:
        db = "PostgreSQL" if (self.use_postgres or self.external_db) else "SQLite"
        layer = "Redis" if self.use_redis else "in-process"
        return f"{self.workers} worker{'s' if self.workers > 1 else ''}, {db}, {layer} layer"


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": sys.version.split()[0],
    }


def install_uvloop() -> str:
    """Clients on uvloop when it is there (uvicorn's server uses it too)."""
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        return "uvloop"
    except ImportError:
        return "asyncio"
