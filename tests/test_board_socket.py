"""The live board socket: who may connect, what each receives, and catching up with `since`."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from flipchart.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _connect(audit_id, token=None, since=None, origin=None):
    query = []
    if token:
        query.append(f"token={token}")
    if since is not None:
        query.append(f"since={since}")
    headers = [(b"host", b"127.0.0.1")]
    if origin:
        headers.append((b"origin", origin.encode()))
    path = f"/ws/audits/{audit_id}/" + ("?" + "&".join(query) if query else "")
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def _frames(comm, timeout=0.3):
    frames = []
    while not await comm.receive_nothing(timeout=timeout):
        frames.append(await comm.receive_json_from())
    return frames


def _post(client, audit_id, text, cid, chart="strength"):
    return client.post(
        f"/api/v1/audits/{audit_id}/notes", {"chart": chart, "text": text, "client_id": cid}
    )


@pytest.fixture
def anon(transactional_db):
    from tests.conftest import make_world

    return make_world(anonymous=True)


async def test_it_sends_a_hello_with_the_current_seq(anon):
    comm = await _connect(anon.audit.id, anon.tokens[0])
    hello = await comm.receive_json_from()
    assert hello == {"type": "hello", "seq": 0}
    await comm.disconnect()


async def test_it_refuses_unknown_tokens_other_schools_and_foreign_origins(anon):
    for token, origin, code in [
        ("not-a-token", None, 4401),
        (anon.other_token, None, 4403),
        (anon.outsider_token, None, 4403),
        (anon.tokens[0], "https://evil.example", 4003),
        (None, None, 4003),
    ]:
        comm = await _connect(anon.audit.id, token, origin=origin)
        message = await comm.receive_output()
        assert message == {"type": "websocket.close", "code": code}, (token, origin)


async def test_it_delivers_only_own_notes_before_the_reveal_and_all_after(anon, api):
    a = await _connect(anon.audit.id, anon.tokens[0])
    b = await _connect(anon.audit.id, anon.tokens[1])
    projector = await _connect(anon.audit.id, anon.leader_token)
    for comm in (a, b, projector):
        await comm.receive_json_from()  # hello
    await sync_to_async(_post)(api(anon.tokens[0]), anon.audit.id, "Cold calling", "x1")
    got_a, got_b, got_p = await _frames(a), await _frames(b), await _frames(projector)
    assert [f["type"] for f in got_a] == ["note.created"]
    assert got_a[0]["note"]["mine"] is True
    assert got_b == []
    assert got_p[0]["note"]["text"] == "Cold calling"
    await sync_to_async(api(anon.leader_token).patch)(
        f"/api/v1/audits/{anon.audit.id}/board", {"phase": "reveal"}
    )
    await sync_to_async(_post)(api(anon.tokens[0]), anon.audit.id, "Exit tickets", "x2")
    got_b = await _frames(b)
    assert [f["type"] for f in got_b] == ["board.updated", "note.created"]
    assert got_b[0]["board"]["phase"] == "reveal"
    assert [f["seq"] for f in got_b] == [2, 3]
    for frame in got_b + got_p + got_a:
        text = json.dumps(frame)
        assert "author" not in text and anon.members[0].name not in text
    for comm in (a, b, projector):
        await comm.disconnect()


async def test_it_replays_exactly_what_a_client_missed(anon, api):
    client = api(anon.tokens[0])
    for i in range(4):
        await sync_to_async(_post)(client, anon.audit.id, f"Note {i}", f"c{i}")
    comm = await _connect(anon.audit.id, anon.tokens[0], since=2)
    frames = await _frames(comm)
    assert [f["seq"] for f in frames if f["type"] == "note.created"] == [3, 4]
    assert frames[-1] == {"type": "hello", "seq": 4}
    await comm.disconnect()


async def test_it_answers_ping_and_refuses_writes_on_the_socket(anon):
    comm = await _connect(anon.audit.id, anon.tokens[0])
    await comm.receive_json_from()
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from())["type"] == "pong"
    await comm.send_json_to({"type": "note.create", "text": "sneaky"})
    assert (await comm.receive_json_from())["type"] == "error"
    await comm.send_to(text_data="{not json")
    assert (await comm.receive_json_from())["type"] == "error"
    await comm.disconnect()
