"""docs/deployment.md and docs/configuration.md, run: the nginx snippet in front of a real server
(TLS, WebSocket upgrade, X-Forwarded-Proto), the systemd units through `systemd-analyze verify`,
the environment files through `check --deploy`, and the backup and restore scripts on a live
SQLite database and on PostgreSQL (pg_dump / pg_restore round trip)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import ssl
import subprocess
from pathlib import Path

import pytest

from bench.harness import (
    REPO,
    BoardClient,
    Database,
    HttpClient,
    board_notes,
    connect_all,
    database_name,
    expect,
    flipchart_command,
    free_port,
    port_open,
    seed_meeting,
    sqlite_path,
    stop_all,
    wait_for_condition,
    wait_until,
)

DEPLOYMENT = REPO / "docs" / "deployment.md"
CONFIGURATION = REPO / "docs" / "configuration.md"
SCRIPTS = REPO / "scripts"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DEPLOYMENT.read_text(), flags=re.S)


def _block_named(language: str, first_line: str) -> str:
    for block in _blocks(language):
        if block.splitlines()[0].startswith(first_line):
            return block
    raise AssertionError(f"docs/deployment.md has no ```{language} block starting {first_line!r}")


def _env_file(title: str) -> dict[str, str]:
    block = _block_named("sh", f"# /etc/flipchart/flipchart.env — {title}")
    env = {}
    for line in block.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


# --- configuration.md -------------------------------------------------------------------


def _variables_read_by_the_code() -> set[str]:
    names = set()
    pattern = re.compile(
        r"""(?:env_str|env_int|env_bool|env_list|os\.environ\.get|os\.getenv)\(\s*["']([A-Z_]+)["']"""
    )
    for path in (REPO / "flipchart").glob("*.py"):
        names |= set(pattern.findall(path.read_text()))
    names |= set(
        re.findall(r"for name in \(([^)]*)\)", (REPO / "flipchart" / "checks.py").read_text())[0]
        .replace('"', "")
        .replace(" ", "")
        .split(",")
    )
    return {n for n in names if n}


def test_configuration_md_lists_every_variable_the_code_reads():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", CONFIGURATION.read_text(), flags=re.M))
    read = _variables_read_by_the_code()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "WORKERS"} <= read  # the scan works
    assert read - documented == set(), "add these to docs/configuration.md"
    assert documented - read == set(), "docs/configuration.md lists variables nothing reads"


@pytest.mark.parametrize("title", ["single school", "scaled"])
def test_the_documented_environment_passes_check_deploy(tmp_path, title):
    env = _env_file(title)
    assert set(env) <= set(re.findall(r"`([A-Z_]+)`", CONFIGURATION.read_text()))
    env["FLIPCHART_DATA_DIR"] = str(tmp_path)
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    done = subprocess.run(
        [*flipchart_command(), "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env, "DJANGO_SETTINGS_MODULE": "flipchart.settings"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


# --- systemd ----------------------------------------------------------------------------


def test_the_systemd_units_verify(tmp_path):
    systemd_analyze = shutil.which("systemd-analyze")
    if systemd_analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    units = {}
    for block in _blocks("ini"):
        first = block.splitlines()[0]
        match = re.match(r"# /etc/systemd/system/(\S+)", first)
        assert match, f"an ```ini block in deployment.md does not name its unit: {first}"
        units[match.group(1)] = block
    assert {"flipchart.service", "flipchart-backup.service", "flipchart-backup.timer"} <= set(units)
    env_file = tmp_path / "flipchart.env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in _env_file("single school").items()))
    for name, text in units.items():
        # Point the paths at this checkout so systemd can see the commands exist.
        text = text.replace("/opt/flipchart", str(REPO)).replace(
            "/etc/flipchart/flipchart.env", str(env_file)
        )
        (tmp_path / name).write_text(text)
    serve_help = subprocess.run(
        [*flipchart_command(), "serve", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    for name in units:
        done = subprocess.run(
            [systemd_analyze, "verify", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{name}: {output}"
        assert not re.search(r"Unknown (key|section)|Failed to parse|Invalid", output), output
        for option in re.findall(r"flipchart serve (.*)", units[name]):
            for flag in re.findall(r"--[a-z-]+", option):
                assert flag in serve_help, f"{name}: flipchart serve has no {flag}"
        for script in re.findall(r"/opt/flipchart/(scripts/\S+)", units[name]):
            assert os.access(REPO / script, os.X_OK), script


# --- nginx ------------------------------------------------------------------------------


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        pytest.fail("nginx is missing: run `make system-deps` as root (apt-get install nginx)")
    return found


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_nginx_snippet_serves_https_and_websockets(stack, tmp_path):
    url, leader = stack.database()
    https_port, http_port = free_port(), free_port()
    site = f"https://127.0.0.1:{https_port}"
    server = stack.server(
        url,
        env={
            "BEHIND_TLS_PROXY": "1",
            "SECURE_SSL_REDIRECT": "1",
            "SECURE_HSTS_SECONDS": "3600",
            "SITE_URL": site,
            "CSRF_TRUSTED_ORIGINS": site,
        },
    )
    cert, key = _self_signed(tmp_path)
    snippet = _blocks("nginx")[0]
    for required in (
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_read_timeout 3600s;",
        "proxy_http_version 1.1;",
    ):
        assert required in snippet
    # Only the addresses, ports and certificate paths change; every other line is as documented.
    snippet = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", snippet, flags=re.M)
    snippet = snippet.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    snippet = snippet.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    snippet = snippet.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{server.port};")
    snippet = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", snippet)
    snippet = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", snippet)
    conf = tmp_path / "nginx.conf"
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    conf.write_text(
        f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp_path}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{snippet}
}}
"""
    )
    nginx = _nginx_binary()
    tested = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stderr
    proc = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    tls = ssl.create_default_context(cafile=str(cert))
    http = HttpClient(site, leader, ssl=tls, timeout=15)
    plain_proxy = HttpClient(f"http://127.0.0.1:{http_port}")
    direct = HttpClient(server.url)
    clients, tasks = [], []
    try:

        def listening() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"nginx exited: {proc.stderr.read().decode()}")
            return port_open(https_port) and port_open(http_port)

        await asyncio.to_thread(wait_until, listening, 15, "nginx")
        # HTTPS through nginx is not redirected (X-Forwarded-Proto: https is believed)...
        health = await http.get("/healthz")
        assert health.status == 200, health.body
        assert health.headers.get("strict-transport-security", "").startswith("max-age=3600")
        assert health.headers.get("x-request-id")
        # ...while plain HTTP straight to Flipchart is, and nginx's port 80 sends people on.
        assert (await direct.get("/healthz")).status == 301
        redirect = await plain_proxy.get("/healthz")
        assert redirect.status == 301
        assert redirect.headers["location"].startswith("https://")

        meeting = await seed_meeting(site, leader, 3, title="Behind nginx", ssl=tls)
        meeting_http = HttpClient(site, meeting.tokens[0], ssl=tls, timeout=15)
        ws_base = f"wss://127.0.0.1:{https_port}"
        clients = [BoardClient(ws_base, meeting.audit_id, t, ssl=tls) for t in meeting.tokens]
        tasks = await connect_all(clients, timeout=20)
        note = {"chart": "strength", "text": "Through the proxy", "client_id": "nginx-1"}
        created = (await expect(meeting_http.post(meeting.notes_path, note), 201)).json()
        assert await wait_for_condition(lambda: all(created["id"] in c.notes for c in clients), 10)
        await meeting_http.close()
    finally:
        for client in (http, plain_proxy, direct):
            await client.close()
        if clients:
            await stop_all(clients, tasks)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


# --- backups ----------------------------------------------------------------------------


def _script(name: str, *args: str, env: dict, timeout: float = 120) -> str:
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    done = subprocess.run(
        [str(SCRIPTS / name), *args],
        env={**base, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    return done.stdout.strip()


async def _post_notes(http: HttpClient, meeting, prefix: str, count: int) -> None:
    for n in range(count):
        body = {"chart": "improvement", "text": f"{prefix} {n}", "client_id": f"{prefix}-{n}"}
        await expect(http.post(meeting.notes_path, body), 201)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_sqlite_online_backup_and_restore(stack, tmp_path):
    url, leader = stack.database("sqlite")
    server = stack.server(url)
    script_env = {"DATABASE_URL": url, "FLIPCHART_DATA_DIR": str(server.dir / "data")}
    meeting = await seed_meeting(server.url, leader, 4)
    http = HttpClient(server.url, meeting.tokens[0])
    try:
        await _post_notes(http, meeting, "before", 20)
        # The backup runs while people keep writing.
        writing = asyncio.create_task(_post_notes(http, meeting, "during", 30))
        backups = tmp_path / "backups"
        out = await asyncio.to_thread(
            _script, "backup-sqlite.sh", str(backups), env={**script_env, "KEEP": "2"}
        )
        await writing
        backup = Path(out)
        assert backup.parent == backups and backup.exists()
        assert oct(backup.stat().st_mode)[-3:] == "600"
        saved = Database(f"sqlite:///{backup}").board_state(meeting.audit_id)
        assert 20 <= len(saved["notes"]) <= 50
        assert saved["event_seqs"] == list(range(1, saved["seq"] + 1))  # a consistent snapshot
        for _ in range(2):  # KEEP=2: older backups are removed
            await asyncio.sleep(1.1)
            await asyncio.to_thread(
                _script, "backup-sqlite.sh", str(backups), env=script_env | {"KEEP": "2"}
            )
        assert len(list(backups.glob("flipchart-*.sqlite3"))) == 2
        assert backup.exists() is False

        # Restore the oldest kept backup over the live database: stop, restore, start.
        keep = sorted(backups.glob("flipchart-*.sqlite3"))[0]
        expected = Database(f"sqlite:///{keep}").board_state(meeting.audit_id)
        await http.close()
        server.stop()
        await asyncio.to_thread(_script, "restore-sqlite.sh", str(keep), env=script_env)
        db_file = Path(sqlite_path(url))
        assert list(db_file.parent.glob("flipchart.sqlite3.before-restore-*"))
        server.start()
        restored = await board_notes(server.url, meeting)
        assert sorted(restored) == [row[0] for row in expected["notes"]]
        # The board carries on numbering from the restored record.
        await _post_notes(http, meeting, "after", 1)
        assert Database(url).board_state(meeting.audit_id)["seq"] == expected["seq"] + 1
    finally:
        await http.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_pg_dump_and_pg_restore_round_trip(stack, postgres, tmp_path):
    url, leader = stack.database("postgres")
    server = stack.server(url)
    meeting = await seed_meeting(server.url, leader, 4)
    http = HttpClient(server.url, meeting.tokens[0])
    try:
        await _post_notes(http, meeting, "before", 25)
        out = await asyncio.to_thread(
            _script, "backup-postgres.sh", str(tmp_path / "dumps"), env={"DATABASE_URL": url}
        )
        dump = Path(out)
        assert dump.exists() and dump.suffix == ".dump"
        before = await board_notes(server.url, meeting)
        server.stop()

        target = postgres.create_database()
        try:
            await asyncio.to_thread(
                _script, "restore-postgres.sh", str(dump), target, env={"DATABASE_URL": url}
            )
            restored = stack.server(target)
            # The leader's API token and the participants' links work on the restored copy.
            assert await board_notes(restored.url, meeting) == before
            moved = HttpClient(restored.url, meeting.tokens[1])
            await _post_notes(moved, meeting, "after", 1)
            await moved.close()
            state = Database(target).board_state(meeting.audit_id)
            assert state["event_seqs"] == list(range(1, state["seq"] + 1))
            restored.stop()
            # Restoring over a database that has data replaces it, in one transaction.
            await asyncio.to_thread(
                _script, "restore-postgres.sh", str(dump), env={"DATABASE_URL": target}
            )
            assert len(Database(target).board_state(meeting.audit_id)["notes"]) == 25
        finally:
            postgres.drop_database(database_name(target))
    finally:
        await http.close()
