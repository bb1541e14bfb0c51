"""The senior leader's view of a school: every team's participation, the recurring training
needs across teams, and the areas where the school is strong.

Privacy: only aggregates leave this module, and every figure built on fewer than MIN_GROUP
people is left out — in named rounds too, because a senior leader never sees one person's
answers. Concretely:
- a team's area figure counts only if at least MIN_GROUP people rated that area;
- a team names a theme only if at least MIN_GROUP people wrote its notes;
- support requests count only where at least MIN_GROUP people in a team asked;
- school-wide means pool the ratings of the team figures that count.
Participation (invited, responded) is a count of people, not their answers: shown as is.

Figures come from each team's latest round. Everything is loaded in a fixed number of
queries, whatever the number of teams, and grouped in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from accounts.models import School, Team
from analysis.themes import group_notes
from analysis.types import NoteIn
from audits.models import Answer, Area, Audit, Invitation, ItemKind, Response
from audits.results import MIN_GROUP, talking_points
from board.models import Board, Note

# A team's strongest and weakest areas by its audit: how many of each count as a signal.
PER_TEAM = 3


@dataclass
class TeamFigures:
    """One team's latest round, reduced to what the school view may use."""

    team: Team
    audit: Audit | None
    invited: int = 0
    responded: int = 0
    # area key → (mean, people, ratings) for areas rated by at least MIN_GROUP people
    areas: dict[str, tuple[float, int, list[int]]] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)  # area key → people, ≥ MIN_GROUP
    themes: dict[str, list[dict]] = field(default_factory=dict)  # chart → themes ≥ MIN_GROUP


@dataclass
class Signal:
    """An area (or a theme with no area) that several teams may point at."""

    key: str
    title: str
    area: str | None
    named_by: set[str] = field(default_factory=set)  # teams whose board had the theme
    # teams whose audit put it among their PER_TEAM weakest (strongest) areas, below
    # (above) the team's own average
    audit_teams: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)  # the labels the teams gave it
    support: int = 0

    @property
    def teams(self) -> set[str]:
        return self.named_by | self.audit_teams


def school_overview(school: School) -> dict:
    """The whole school view as plain data (the page and GET /api/v1/school share it)."""
    figures, titles = load_figures(school)
    areas = school_areas(figures, titles)
    means = {a["key"]: a for a in areas}
    return {
        "school": {"id": school.id, "name": school.name},
        "min_group": MIN_GROUP,
        "teams": [participation_row(f) for f in figures],
        "needs": rank_signals(figures, titles, means, chart="improvement"),
        "strengths": rank_signals(figures, titles, means, chart="strength"),
        "areas": areas,
    }


def participation_row(f: TeamFigures) -> dict:
    audit = f.audit
    return {
        "id": f.team.id,
        "name": f.team.name,
        "kind": f.team.kind,
        "kind_label": f.team.get_kind_display(),
        "round": None
        if audit is None
        else {
            "id": audit.id,
            "title": audit.title,
            "status": audit.status,
            "anonymous": audit.anonymous,
            "created": audit.created,
        },
        "invited": f.invited,
        "responded": f.responded,
    }


def school_areas(figures: list[TeamFigures], titles: dict[str, dict]) -> list[dict]:
    """Every area, its school-wide mean pooled from the team figures that count."""
    pooled: dict[str, list[int]] = defaultdict(list)
    people: dict[str, int] = defaultdict(int)
    teams: dict[str, int] = defaultdict(int)
    for f in figures:
        for key, (_, count, ratings) in f.areas.items():
            pooled[key].extend(ratings)
            people[key] += count
            teams[key] += 1
    out = []
    for key, meta in sorted(titles.items(), key=lambda kv: kv[1]["position"]):
        counted = people[key] >= MIN_GROUP
        out.append(
            {
                "key": key,
                "title": meta["title"],
                "mean": statistics.fmean(pooled[key]) if counted else None,
                "people": people[key] if counted else None,
                "teams": teams[key],
                "suppressed": not counted,
                "scale": meta["scale"],
            }
        )
    return out


def rank_signals(
    figures: list[TeamFigures], titles: dict[str, dict], means: dict[str, dict], *, chart: str
) -> list[dict]:
    """Training needs (chart "improvement") or strengths ("strength") across teams.

    What two or more teams point at ranks first; then by the number of teams whose board
    named it, then of all teams pointing at it, then by the school's mean (lowest first for
    needs, highest first for strengths). `support` counts people across the school.
    """
    signals: dict[str, Signal] = {}

    def signal(area: str | None, label: str) -> Signal:
        key = area or "theme:" + " ".join(label.lower().split())
        if key not in signals:
            title = titles[area]["title"] if area in titles else label
            signals[key] = Signal(key=key, title=title, area=area if area in titles else None)
        return signals[key]

    for f in figures:
        name = f.team.name
        for theme in f.themes.get(chart, []):
            s = signal(theme["area"], theme["label"])
            s.named_by.add(name)
            s.themes.add(theme["label"])
        shown = [
            {"key": k, "title": titles[k]["title"], "mean": mean, "spread": 0, "suppressed": False}
            for k, (mean, _, _) in f.areas.items()
        ]
        points = talking_points(shown, count=PER_TEAM)
        # Only areas clearly below (above) the team's own average: ties are not a signal.
        average = statistics.fmean(a["mean"] for a in shown) if shown else 0
        for row in points["weakest" if chart == "improvement" else "strongest"]:
            if (row["mean"] < average) if chart == "improvement" else (row["mean"] > average):
                signal(row["key"], row["title"]).audit_teams.add(name)
        if chart == "improvement":
            for key, count in f.support.items():
                if key in titles:
                    signal(key, titles[key]["title"]).support += count

    def order(s: Signal):
        mean = (means.get(s.area) or {}).get("mean") if s.area else None
        direction = 1 if chart == "improvement" else -1
        return (
            len(s.teams) < 2,
            -len(s.named_by),
            -len(s.teams),
            mean is None,
            direction * (mean or 0),
            s.title.lower(),
        )

    out = []
    for s in sorted(signals.values(), key=order):
        if not s.teams:
            continue  # support requests alone, with no team pointing at it, are not a need
        school = means.get(s.area) if s.area else None
        out.append(
            {
                "key": s.key,
                "title": s.title,
                "area": s.area,
                "teams": len(s.teams),
                "team_names": sorted(s.teams),
                "named_by": sorted(s.named_by),
                "audit_teams": sorted(s.audit_teams),
                "themes": sorted(s.themes),
                "support": s.support if s.support >= MIN_GROUP else None,
                "mean": school["mean"] if school else None,
                "people": school["people"] if school else None,
                "recurring": len(s.teams) >= 2,
            }
        )
    return out


# --- loading, in a fixed number of queries -----------------------------------------------


def load_figures(school: School) -> tuple[list[TeamFigures], dict[str, dict]]:
    """Every team with its latest round's figures; and area key → {title, position, scale}."""
    latest = Audit.objects.filter(team=OuterRef("pk")).order_by("-created", "-id").values("id")
    teams = list(
        Team.objects.filter(school=school)
        .annotate(latest_round=Subquery(latest[:1]))
        .order_by("name", "id")
    )
    audit_ids = [t.latest_round for t in teams if t.latest_round]
    audits = Audit.objects.select_related("instrument").in_bulk(audit_ids)
    figures = {t.latest_round: TeamFigures(t, audits.get(t.latest_round)) for t in teams}
    figures.pop(None, None)
    no_round = [TeamFigures(t, None) for t in teams if not t.latest_round]

    _participation(audit_ids, figures)
    titles = _areas(audits.values())
    _ratings(audit_ids, figures, titles)
    _themes(audits, figures)
    by_team = {f.team.id: f for f in [*figures.values(), *no_round]}
    return [by_team[t.id] for t in teams], titles


def _participation(audit_ids: list[int], figures: dict[int, TeamFigures]) -> None:
    invited: dict[int, set[int]] = defaultdict(set)
    rows = Invitation.objects.filter(audit_id__in=audit_ids, revoked__isnull=True)
    for audit_id, member_id in rows.values_list("audit_id", "member_id"):
        invited[audit_id].add(member_id)
    support: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    responses = Response.objects.filter(audit_id__in=audit_ids, submitted__isnull=False)
    for audit_id, member_id, areas in responses.values_list(
        "audit_id", "member_id", "support_areas"
    ):
        f = figures[audit_id]
        if member_id in invited[audit_id]:
            f.responded += 1
        for key in set(areas or []):
            support[audit_id][key] += 1
    for audit_id, f in figures.items():
        f.invited = len(invited[audit_id])
        f.support = {k: n for k, n in support[audit_id].items() if n >= MIN_GROUP}


def _areas(audits) -> dict[str, dict]:
    """Areas are matched across teams by key; the newest instrument version names them."""
    instruments = {a.instrument_id: a.instrument for a in audits}
    titles: dict[str, dict] = {}
    rows = Area.objects.filter(instrument_id__in=instruments).order_by("instrument_id", "position")
    for area in rows:
        instrument = instruments[area.instrument_id]
        known = titles.get(area.key)
        if known is None or instrument.version > known["version"]:
            titles[area.key] = {
                "title": area.title,
                "position": area.position,
                "version": instrument.version,
                "scale": instrument.scale,
            }
    return titles


def _ratings(audit_ids: list[int], figures: dict[int, TeamFigures], titles: dict) -> None:
    rows = Answer.objects.filter(
        response__audit_id__in=audit_ids,
        response__submitted__isnull=False,
        rating__isnull=False,
        item__kind=ItemKind.STATEMENT,
    ).values_list("response__audit_id", "response__member_id", "item__area__key", "rating")
    collected: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for audit_id, member_id, key, rating in rows:
        collected[audit_id][key].append((member_id, rating))
    for audit_id, by_area in collected.items():
        for key, pairs in by_area.items():
            people = len({m for m, _ in pairs})
            if people >= MIN_GROUP and key in titles:
                ratings = [r for _, r in pairs]
                figures[audit_id].areas[key] = (statistics.fmean(ratings), people, ratings)


def _themes(audits: dict[int, Audit], figures: dict[int, TeamFigures]) -> None:
    """Each board's themes as board.themes.themes_for builds them, but from notes loaded for
    all boards at once (themes_for reads one board's notes per call)."""
    from board.themes import area_anchors, theme_out

    boards = {b.id: b for b in Board.objects.filter(audit_id__in=list(audits))}
    notes: dict[int, list[Note]] = defaultdict(list)
    for note in Note.objects.live().filter(board_id__in=list(boards), hidden=False).order_by("id"):
        notes[note.board_id].append(note)
    anchors: dict[int, list] = {}
    for board_id, board_notes in notes.items():
        board = boards[board_id]
        instrument_id = audits[board.audit_id].instrument_id
        if instrument_id not in anchors:
            anchors[instrument_id] = area_anchors(instrument_id)  # once per instrument
        inputs = [NoteIn(n.id, n.chart, n.text, _author(n), n.area or None) for n in board_notes]
        pinned = {n.id: n.theme for n in board_notes if n.theme}
        out: dict[str, list[dict]] = {"strength": [], "improvement": []}
        for theme in group_notes(inputs, anchors[instrument_id], pinned=pinned):
            if theme.is_other or theme.participants < MIN_GROUP:
                continue
            out[theme.chart].append(theme_out(theme, board.theme_labels or {}))
        figures[board.audit_id].themes = out


def _author(note: Note) -> int:
    # As board.themes does: members positive, a leader's own notes negative.
    return note.author_member_id if note.author_member_id else -(note.author_user_id or 0)
