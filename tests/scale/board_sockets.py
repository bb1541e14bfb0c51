"""In-process board sockets for the tests that look inside the consumer (no server process)."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator

from flipchart.asgi import application


def revealed_meeting(members: int):
    """A round with `members` participants and its board at the reveal. Call in a thread."""
    from board.notes import board_for, change_board
    from tests.conftest import make_world

    world = make_world(anonymous=True, members=members)
    change_board(board_for(world.audit), phase="reveal")
    return world


def post_note(world, token: str, text: str) -> int:
    """A note posted over the API, its client_id being its text. Call in a thread."""
    from tests.conftest import ApiClient

    response = ApiClient(token).post(
        f"/api/v1/audits/{world.audit.id}/notes",
        {"chart": "strength", "text": text, "client_id": text},
    )
    assert response.status_code == 201
    return response.json()["id"]


async def open_socket(world, token: str, query: str = "") -> WebsocketCommunicator:
    comm = WebsocketCommunicator(
        application,
        f"/ws/audits/{world.audit.id}/?token={token}{query}",
        headers=[(b"host", b"127.0.0.1")],
    )
    connected, _ = await comm.connect()
    assert connected
    return comm
