"""Security as RELIABILITY.md §1 sets it out: login lockout, CSP, no-store, secure cookies and
HSTS when deployed, a clean `check --deploy`, invitation tokens useless without the secret."""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from audits.models import Invitation, _derive_token
from tests import factory

ROOT = Path(__file__).resolve().parent.parent
FLIPCHART = ROOT / ".venv" / "bin" / "flipchart"


# --- login lockout (django-axes) -----------------------------------------------------------


def _login(client: Client, email: str, password: str, **meta):
    return client.post("/login/", {"username": email, "password": password}, **meta)


def test_it_locks_sign_in_after_five_failures_for_that_email_and_address(world):
    email = world.leader.email
    client = Client()
    for attempt in range(4):
        r = _login(client, email, f"wrong-{attempt}")
        assert r.status_code == 200, attempt  # the form again, with an error
    r = _login(client, email, "wrong-5")
    assert r.status_code == 429
    # Locked: even the right password is refused from this address...
    r = _login(client, email, factory.PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the teacher can still sign in from another address,
    other = Client(REMOTE_ADDR="198.51.100.20")
    r = _login(other, email, factory.PASSWORD)
    assert r.status_code == 302
    assert other.session["_auth_user_id"] == str(world.leader.pk)
    # and another leader from the same address is not locked out.
    r = _login(Client(), world.outsider.email, factory.PASSWORD)
    assert r.status_code == 302


def test_it_does_not_let_a_forwarded_for_header_dodge_the_lockout(world):
    for attempt in range(5):
        _login(
            Client(),
            world.leader.email,
            f"wrong-{attempt}",
            headers={"X-Forwarded-For": f"8.8.{attempt}.8"},
        )
    r = _login(
        Client(),
        world.leader.email,
        factory.PASSWORD,
        headers={"X-Forwarded-For": "8.8.99.8"},
    )
    assert r.status_code == 429


def test_it_resets_the_count_after_a_successful_sign_in(world):
    for attempt in range(4):
        _login(Client(), world.leader.email, f"wrong-{attempt}")
    assert _login(Client(), world.leader.email, factory.PASSWORD).status_code == 302
    for attempt in range(4):
        assert _login(Client(), world.leader.email, f"again-{attempt}").status_code == 200
    assert _login(Client(), world.leader.email, factory.PASSWORD).status_code == 302


# --- headers on responses -----------------------------------------------------------------


def _csp_directives(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split()[0]: " ".join(p.split()[1:]) for p in parts}


def _html_pages(world) -> list[tuple[Client, str]]:
    anonymous, leader, teacher = Client(), Client(), Client()
    leader.force_login(world.leader)
    teacher.get(f"/i/{world.tokens[0]}")
    return [
        (anonymous, "/"),
        (anonymous, "/login/"),
        (anonymous, "/signup/"),
        (anonymous, "/i/not-a-real-link"),
        (anonymous, "/no-such-page/"),
        (leader, "/"),
        (leader, f"/teams/{world.team.id}/"),
        (leader, f"/audits/{world.audit.id}/"),
        (leader, "/account/tokens/"),
        (teacher, f"/take/{world.audit.id}/"),
        (teacher, f"/take/{world.audit.id}/1/"),
        (teacher, f"/take/{world.audit.id}/review/"),
    ]


def test_it_sends_a_strict_csp_on_html_pages(world):
    for client, path in _html_pages(world):
        r = client.get(path)
        assert r["Content-Type"].startswith("text/html"), path
        csp = _csp_directives(r)
        assert csp.get("object-src") == "'none'", (path, csp)
        assert csp.get("base-uri") == "'none'", (path, csp)
        assert csp.get("frame-ancestors") == "'none'", (path, csp)
        assert "'unsafe-inline'" not in csp.get("script-src", ""), path
        assert csp.get("default-src") == "'self'", path
        assert r["X-Frame-Options"] == "DENY"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"


def test_it_never_lets_answers_or_results_be_cached(world, api):
    teacher = Client()
    teacher.get(f"/i/{world.tokens[0]}")
    leader = Client()
    leader.force_login(world.leader)
    responses = [
        api(world.tokens[0]).get("/api/v1/me"),
        api(world.tokens[0]).put("/api/v1/me/answers", {"answers": []}),
        api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/results"),
        api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/participation"),
        api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/invitations"),
        teacher.get("/api/v1/me"),
        teacher.get(f"/take/{world.audit.id}/"),
        teacher.get(f"/take/{world.audit.id}/1/"),
        teacher.get(f"/take/{world.audit.id}/review/"),
        teacher.get(f"/take/{world.audit.id}/profile/"),
        leader.get(f"/audits/{world.audit.id}/"),
    ]
    for r in responses:
        assert r.status_code == 200, r.request["PATH_INFO"]
        assert "no-store" in r["Cache-Control"], r.request["PATH_INFO"]


def test_it_keeps_cookies_http_only_and_same_site(world):
    client = Client()
    client.get(f"/i/{world.tokens[0]}")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# --- settings in a fresh process ----------------------------------------------------------


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def production_env(data_dir: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_"))}
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="boards.example.org",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        SITE_URL="https://boards.example.org",
        FLIPCHART_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="flipchart.settings",
    )
    env.update(extra)
    return env


PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client
from accounts.models import School, User
User.objects.create_user("lead@example.org", "correct horse battery", name="L",
                         school=School.objects.create(name="S"))
host = settings.ALLOWED_HOSTS[0].strip("[]")
out = {}
c = Client(HTTP_HOST=host)
plain = c.get("/login/")
out["plain_status"] = plain.status_code
out["plain_location"] = plain.get("Location", "")
secure = c.get("/login/", secure=True)
out["secure_status"] = secure.status_code
out["hsts"] = secure.get("Strict-Transport-Security", "")
login = c.post("/login/", {"username": "lead@example.org", "password": "correct horse battery"},
               secure=True)
out["login_status"] = login.status_code
out["cookies"] = {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                         "samesite": m["samesite"], "path": m["path"], "domain": m["domain"]}
                  for name, m in c.cookies.items()}
out["csp"] = secure.get("Content-Security-Policy", "")
print(json.dumps(out))
"""


def run_probe(env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_uses_secure_cookies_and_hsts_when_deployed_behind_tls(tmp_path):
    out = run_probe(production_env(tmp_path))
    assert out["plain_status"] == 301
    assert out["plain_location"].startswith("https://")
    assert out["secure_status"] == 200
    assert out["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert out["login_status"] == 302
    assert set(out["cookies"]) >= {"__Host-sessionid", "__Host-csrftoken"}
    for name, cookie in out["cookies"].items():
        assert cookie["secure"], name
        assert cookie["path"] == "/", name  # required for the __Host- prefix
        assert not cookie["domain"], name
    assert out["cookies"]["__Host-sessionid"]["httponly"]
    assert "wss:" in out["csp"] and "ws:" not in out["csp"].replace("wss:", "")


def test_it_serves_plain_http_on_loopback_with_debug_off(tmp_path):
    env = production_env(tmp_path)
    for name in list(env):
        if name.startswith("SECURE_") or name in ("ALLOWED_HOSTS", "SITE_URL"):
            del env[name]
    out = run_probe(env)
    assert out["plain_status"] == 200
    assert out["hsts"] == ""
    assert out["login_status"] == 302
    assert set(out["cookies"]) >= {"sessionid", "csrftoken"}
    for name, cookie in out["cookies"].items():
        assert not cookie["secure"], name


def _check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FLIPCHART), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    done = _check_deploy(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout + done.stderr


def test_it_fails_check_deploy_when_https_is_not_switched_on(tmp_path):
    """The check above is not vacuous: without the deployment's HTTPS settings it fails."""
    env = production_env(tmp_path)
    for name in [n for n in env if n.startswith("SECURE_")]:
        del env[name]
    done = _check_deploy(env)
    assert done.returncode != 0
    assert "security.W004" in done.stdout + done.stderr  # no HSTS
    assert "security.W008" in done.stdout + done.stderr  # no HTTPS redirect


# --- secrets at rest ----------------------------------------------------------------------


def _every_text_cell() -> list[str]:
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                cells.extend(str(value) for value in row if value is not None)
    return cells


def test_it_stores_no_token_text_in_the_database(world):
    cells = _every_text_cell()
    assert cells
    for token in [*world.tokens, world.leader_token, world.other_token]:
        assert not any(token in cell for cell in cells), token
    invitation = Invitation.objects.get(audit=world.audit, member=world.members[0])
    assert invitation.digest != world.tokens[0]
    assert len(invitation.digest) == 64  # a SHA-256 digest


def test_it_makes_invitation_tokens_useless_without_the_secret_key(world, api):
    invitation = Invitation.objects.get(audit=world.audit, member=world.members[0])
    token = world.tokens[0]
    assert _derive_token(invitation.nonce) == token
    assert Invitation.objects.by_token(token) == invitation
    # Someone holding the database but another (or no) secret key cannot rebuild the link.
    with override_settings(SECRET_KEY="x" * 60):
        guessed = _derive_token(invitation.nonce)
        assert guessed != token
        assert Invitation.objects.by_token(guessed) is None
    # Nor is the stored nonce itself a working link.
    assert Invitation.objects.by_token(invitation.nonce) is None
    assert api(invitation.nonce).get("/api/v1/me").status_code == 401
    assert Client().get(f"/i/{invitation.nonce}").status_code == 404


def test_it_makes_unguessable_links(world):
    tokens = set(world.tokens)
    assert len(tokens) == len(world.tokens)
    for token in tokens:
        assert len(token) >= 22  # 128 bits or more in URL-safe base64
        assert set(token) <= set(string.ascii_letters + string.digits + "-_")


@pytest.mark.parametrize("debug", ["0", "1"])
def test_it_keeps_a_generated_secret_key_across_restarts(tmp_path, debug):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env.update(FLIPCHART_DATA_DIR=str(tmp_path), DEBUG=debug)
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.SECRET_KEY)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "flipchart.settings"
    keys = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert keys[0] == keys[1]
    assert len(keys[0]) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_it_locks_out_per_client_behind_a_trusted_proxy(world, monkeypatch):
    """Behind TRUSTED_PROXY_COUNT=1 every request comes from the proxy: the lockout must use the
    address the proxy saw, or one attacker would lock every colleague out."""
    from flipchart import throttle

    monkeypatch.setattr(throttle, "_TRUSTED_PROXIES", 1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(5):
        _login(
            Client(**proxy),
            world.leader.email,
            f"wrong-{attempt}",
            headers={"X-Forwarded-For": "8.8.8.8"},
        )
    locked = _login(
        Client(**proxy),
        world.leader.email,
        factory.PASSWORD,
        headers={"X-Forwarded-For": "8.8.8.8"},
    )
    assert locked.status_code == 429
    colleague = _login(
        Client(**proxy),
        world.leader.email,
        factory.PASSWORD,
        headers={"X-Forwarded-For": "9.9.9.9"},
    )
    assert colleague.status_code == 302
