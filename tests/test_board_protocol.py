"""A stateful property test of the board's protocol (RELIABILITY.md §2.4).

Clients write (and retry) notes, delete them, the facilitator hides notes and moves the phase,
and clients drop and catch up from the last event number they saw. Whatever happens, each
client's view after catching up equals what the server says it may see, every acknowledged
note exists exactly once, and event numbers have no gaps.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from board.models import PHASE_ORDER, Board, Event, Note
from board.notes import (
    BoardError,
    board_for,
    change_board,
    create_note,
    delete_note,
    events_since,
    notes_since,
    update_note,
)
from board.visibility import Viewer
from tests.conftest import make_world

TEXTS = st.text(alphabet="abc xyz<>&\"'", min_size=1, max_size=30).filter(str.strip)


class Client:
    def __init__(self, viewer: Viewer):
        self.viewer = viewer
        self.view: dict[int, dict] = {}
        self.last_seq = 0
        self.revealed = False

    def catch_up(self, board: Board) -> None:
        """What a reconnecting socket does: replay from the last seq; reload at the reveal."""
        for event in events_since(board, self.viewer, self.last_seq):
            self.last_seq = max(self.last_seq, event["seq"])
            if event["type"] in ("note.created", "note.updated"):
                self.view[event["note"]["id"]] = event["note"]
            elif event["type"] == "note.deleted":
                self.view.pop(event["note"]["id"], None)
            elif event["type"] == "board.updated":
                revealed = PHASE_ORDER.index(event["board"]["phase"]) >= 1
                if revealed != self.revealed:
                    self.reload(board)
                    self.revealed = revealed
        self.last_seq = max(self.last_seq, board.seq)

    def reload(self, board: Board) -> None:
        self.view = {n["id"]: n for n in notes_since(board, self.viewer, 0)}


class BoardProtocol(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        world = make_world(anonymous=True, members=3)
        self.board = board_for(world.audit)
        self.facilitator = Client(Viewer(world.audit.id, True, f"u{world.leader.id}"))
        self.people = [Client(Viewer(world.audit.id, False, f"m{m.id}")) for m in world.members]
        self.acked: dict[str, int] = {}  # client_id -> note id
        self.counter = 0

    def _refresh(self) -> Board:
        self.board.refresh_from_db()
        return self.board

    @rule(who=st.integers(0, 2), chart=st.sampled_from(["strength", "improvement"]), text=TEXTS)
    def write(self, who, chart, text):
        self.counter += 1
        client_id = f"c{self.counter}"
        try:
            note, _ = create_note(
                self._refresh(),
                self.people[who].viewer,
                chart=chart,
                text=text,
                area=None,
                client_id=client_id,
            )
        except BoardError:
            return  # locked or closed: nothing acknowledged
        self.acked[client_id] = note.id

    @precondition(lambda self: self.acked)
    @rule(data=st.data())
    def retry(self, data):
        client_id = data.draw(st.sampled_from(sorted(self.acked)))
        note = Note.objects.get(pk=self.acked[client_id])
        author = next(p for p in self.people if p.viewer.author_key == note.author_key)
        again, created = create_note(
            self._refresh(),
            author.viewer,
            chart=note.chart,
            text="retry",
            area=None,
            client_id=client_id,
        )
        assert not created and again.id == note.id

    @precondition(lambda self: self.acked)
    @rule(data=st.data())
    def delete(self, data):
        client_id = data.draw(st.sampled_from(sorted(self.acked)))
        note = Note.objects.live().filter(pk=self.acked[client_id]).first()
        if note is None:
            return
        author = next(p for p in self.people if p.viewer.author_key == note.author_key)
        with contextlib.suppress(BoardError):
            delete_note(self._refresh(), author.viewer, note)

    @precondition(lambda self: self.acked)
    @rule(data=st.data(), hidden=st.booleans())
    def moderate(self, data, hidden):
        client_id = data.draw(st.sampled_from(sorted(self.acked)))
        note = Note.objects.live().filter(pk=self.acked[client_id]).first()
        if note is not None:
            update_note(self._refresh(), self.facilitator.viewer, note, {"hidden": hidden})

    @rule(phase=st.sampled_from(PHASE_ORDER[:5]), locked=st.booleans())
    def facilitate(self, phase, locked):
        board = self._refresh()
        with contextlib.suppress(BoardError):
            change_board(board, phase=phase if board.can_move_to(phase) else None, locked=locked)

    @rule(who=st.integers(0, 3))
    def reconnect(self, who):
        client = ([*self.people, self.facilitator])[who]
        client.catch_up(self._refresh())
        expected = {n["id"]: n for n in notes_since(self.board, client.viewer, 0)}
        assert client.view == expected

    @invariant()
    def every_acked_note_exists_once(self):
        for client_id, note_id in self.acked.items():
            assert Note.objects.filter(board=self.board, client_id=client_id).count() == 1
            assert Note.objects.filter(pk=note_id).exists()

    @invariant()
    def event_numbers_have_no_gaps(self):
        seqs = list(Event.objects.filter(board=self.board).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert self._refresh().seq == len(seqs)

    @invariant()
    def anonymous_views_never_carry_authors(self):
        for client in [*self.people, self.facilitator]:
            for note in client.view.values():
                assert "author" not in note


@pytest.mark.django_db
def test_the_board_protocol_converges():
    BoardProtocol.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    BoardProtocol.TestCase().runTest()
