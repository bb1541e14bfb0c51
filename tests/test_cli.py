"""The `flipchart` command: createleader, demo, and serve's refusal to split the live board."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken, Member, School, Team, User
from audits.models import Answer, Audit, Invitation, Response
from flipchart import cli


@pytest.fixture(autouse=True)
def _keep_the_test_database_open(monkeypatch):
    """Django's command runner closes every connection when a command ends; in a test that
    would close the test's own transaction. Commands run in-process through `cli.main`."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(capsys, *argv) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_it_creates_a_leader_and_prints_a_working_token_last(db, capsys, api):
    out = run(
        capsys,
        "createleader",
        "--email",
        "Head@Hillside.example",
        "--name",
        "Hannah Head",
        "--school",
        "Hillside Academy",
        "--password",
        "a long enough password",
    )
    token = out.split()[-1]
    assert token.startswith(ApiToken.PREFIX)
    user = User.objects.get(email="head@hillside.example")
    assert user.name == "Hannah Head"
    assert user.school.name == "Hillside Academy"
    assert user.check_password("a long enough password")
    r = api(token).get("/api/v1/teams")
    assert r.status_code == 200
    assert r.json() == []
    r = api(token).post("/api/v1/teams", {"name": "Science", "kind": "department"})
    assert r.status_code == 201
    assert Team.objects.get(pk=r.json()["id"]).leader == user


def test_it_creates_a_leader_without_a_password(db, capsys, api):
    out = run(capsys, "createleader", "--email", "n@x.example", "--name", "N", "--school", "S")
    user = User.objects.get(email="n@x.example")
    assert not user.has_usable_password()
    assert api(out.split()[-1]).get("/api/v1/teams").status_code == 200


def test_it_puts_a_second_leader_into_the_same_school(db, capsys):
    run(capsys, "createleader", "--email", "a@x.example", "--name", "A", "--school", "Oak")
    run(capsys, "createleader", "--email", "b@x.example", "--name", "B", "--school", "Oak")
    assert School.objects.filter(name="Oak").count() == 1
    assert User.objects.filter(school__name="Oak").count() == 2


def test_it_refuses_a_leader_who_exists(db, capsys):
    run(capsys, "createleader", "--email", "a@x.example", "--name", "A", "--school", "Oak")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["createleader", "--email", "A@x.example", "--name", "A", "--school", "Oak"])
    assert exit_info.value.code != 0
    assert "already exists" in capsys.readouterr().err
    assert User.objects.count() == 1


def _counts() -> dict[str, int]:
    models = [School, User, Team, Member, Audit, Invitation, Response, Answer]
    return {model.__name__: model.objects.count() for model in models}


def test_it_loads_the_demo_school_once_however_often_it_runs(db, capsys):
    out = run(capsys, "demo")
    assert "demo@flipchart.test" in out
    first = _counts()
    assert first["Member"] == 9
    assert first["Audit"] == 1
    assert first["Invitation"] == 9
    assert first["Response"] == 7
    assert first["Answer"] > 100
    run(capsys, "demo")
    assert _counts() == first
    audit = Audit.objects.get()
    assert audit.responses.exclude(submitted=None).count() == 7
    assert audit.meeting_starts_at is not None


def test_it_refuses_several_workers_without_redis(monkeypatch, capsys):
    monkeypatch.delenv("REDIS_URL", raising=False)
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    code = cli.main(["serve", "--workers", "2", "--no-migrate"])
    assert code != 0
    assert started == []
    err = capsys.readouterr().err
    assert "REDIS_URL" in err
    assert "--workers" in err


def test_it_serves_one_worker_without_redis(monkeypatch, capsys):
    monkeypatch.delenv("REDIS_URL", raising=False)
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k))
    assert cli.main(["serve", "--workers", "1", "--no-migrate", "--port", "8123"]) == 0
    assert started and started[0]["workers"] == 1 and started[0]["port"] == 8123
    assert started[0]["host"] == "127.0.0.1"


def test_it_passes_other_commands_to_django(capsys):
    assert cli.main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out
