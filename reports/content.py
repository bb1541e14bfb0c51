"""Everything a meeting report holds, gathered once: `report_for(audit)`.

The web page, the PDF, the spreadsheet and the JSON API all render this one dict, so the privacy
rules live here and nowhere else (docs/reports.md):

- figures come from audits.results: submitted answers only, and in an anonymous round nothing
  built on fewer than 3 people (a suppressed row carries `suppressed: true` and no figures);
- per-person ratings (the heat map) and who responded appear only in named rounds;
- the flipcharts appear from the reveal on (before it, notes are their writers' own), never with
  hidden or deleted notes, and a note's author only in a named round;
- a peer-support pair is named only once both colleagues said yes, or in a named round.

The number of database queries does not grow with members, answers or notes (a test holds it).
"""

from __future__ import annotations

from django.utils import timezone

from audits.models import Audit
from audits.results import heat_map, results_for
from audits.rounds import participation
from board.models import Action, ActionKind, Board, Match, MatchStatus, Note
from board.notes import board_for
from board.themes import find_summary, themes_for

CHARTS = ("strength", "improvement")
FIGURES = ("n", "mean", "median", "distribution", "spread", "people", "not_applicable")
WITHHELD_OWNER = "Named once both colleagues agree"


def report_for(audit: Audit, *, for_team: bool = False) -> dict:
    """The meeting report of a round as plain data (dates as date/datetime objects).

    `for_team`: the copy a participant may download — team figures only, never a colleague's
    own ratings or who has responded, even in a named round (notes keep their authors there,
    as on the board everyone saw)."""
    named = not audit.anonymous
    results = _public_results(results_for(audit))
    area_titles = {a["key"]: a["title"] for a in results["areas"]}
    area_means = {a["key"]: a.get("mean") for a in results["areas"]}
    board = board_for(audit)
    notes = _visible_notes(board, named)
    flipcharts, themes_by_id = _flipcharts(board, notes, area_titles, named)
    matches = list(
        Match.objects.filter(board=board).select_related(
            "mentor", "improvement_note__author_member", "improvement_note__author_user"
        )
    )
    actions = list(Action.objects.filter(board=board).order_by("due", "id"))
    find = _find(board, themes_by_id, area_means)
    matches_by_id = {m.id: m for m in matches}
    team = audit.team
    return {
        "generated_at": timezone.now(),
        "draft": audit.is_open,
        "school": {"name": team.school.name},
        "team": {"id": team.id, "name": team.name, "kind": team.kind},
        "audit": {
            "id": audit.id,
            "title": audit.title,
            "anonymous": audit.anonymous,
            "status": audit.status,
            "created": audit.created,
            "closes_at": audit.closes_at,
            "closed_at": audit.closed_at,
            "meeting": _meeting(audit),
        },
        "instrument": {
            "title": audit.instrument.title,
            "version": audit.instrument.version,
            "scale": audit.instrument.scale,
        },
        "participation": _participation(audit, per_person=not for_team),
        "results": results,
        "heat_map": _heat(audit) if named and not for_team else None,
        "board": {"phase": board.phase, "revealed": board.revealed},
        "flipcharts": flipcharts,
        "recurring_strengths": find["recurring_strengths"],
        "training_needs": find["training_needs"],
        "pairs": _pairs(matches, actions, notes, area_titles, named),
        "pairs_awaiting_consent": sum(1 for m in matches if m.status == MatchStatus.OFFERED),
        "actions": [
            action_out(a, named, themes_by_id, area_titles, matches_by_id) for a in actions
        ],
    }


def statements_by_area(report: dict) -> dict[str, list[dict]]:
    """The report's statements grouped under their area's key, in the instrument's order."""
    grouped: dict[str, list[dict]] = {a["key"]: [] for a in report["results"]["areas"]}
    for row in report["results"]["statements"]:
        grouped.setdefault(row["area"], []).append(row)
    return grouped


# --- Results and participation ------------------------------------------------------------


def _public_results(results: dict) -> dict:
    """As the results API answers: a suppressed row keeps no figure keys at all."""
    for row in results["areas"] + results["statements"]:
        if row["suppressed"]:
            for key in FIGURES:
                row.pop(key, None)
    return results


def _participation(audit: Audit, *, per_person: bool = True) -> dict:
    data = participation(audit)
    if not per_person:
        data.pop("who", None)
    data["rate"] = data["responded"] / data["invited"] if data["invited"] else None
    return data


def _heat(audit: Audit) -> dict:
    """Named rounds only: each member's mean per area, with their names."""
    heat = heat_map(audit)
    names = dict(audit.team.members.values_list("id", "name"))
    for row in heat["rows"]:
        row["name"] = names.get(row["member"], "Former member")
    heat["rows"].sort(key=lambda r: (r["name"].casefold(), r["member"]))
    return heat


def _meeting(audit: Audit) -> dict | None:
    if audit.meeting_starts_at is None:
        return None
    return {
        "starts_at": audit.meeting_starts_at,
        "ends_at": audit.meeting_ends_at,
        "location": audit.meeting_location,
    }


# --- The flipcharts -----------------------------------------------------------------------


def _visible_notes(board: Board, named: bool) -> dict[int, Note]:
    """Live, not hidden notes by id; none before the reveal (they are still their writers')."""
    if not board.revealed:
        return {}
    rows = Note.objects.live().filter(board=board, hidden=False).order_by("id")
    if named:
        rows = rows.select_related("author_member", "author_user")
    return {n.id: n for n in rows}


def _note_out(note: Note, area_titles: dict, named: bool) -> dict:
    out = {
        "id": note.id,
        "chart": note.chart,
        "text": note.text,
        "area": note.area or None,
        "area_title": area_titles.get(note.area),
    }
    if named:  # never in an anonymous round, to anyone (API.md)
        person = note.author_member or note.author_user
        out["author"] = {"id": note.author_member_id, "name": person.name if person else ""}
    return out


def _flipcharts(
    board: Board, notes: dict[int, Note], area_titles: dict, named: bool
) -> tuple[dict, dict]:
    """Each chart's themes with their notes' text, and the themes by id."""
    charts: dict[str, list[dict]] = {c: [] for c in CHARTS}
    by_id: dict[str, dict] = {}
    if not notes:
        return charts, by_id
    grouped = themes_for(board)
    placed: set[int] = set()
    for chart in CHARTS:
        for theme in grouped.get(chart, []):
            members = [notes[i] for i in theme["notes"] if i in notes]
            if not members:
                continue
            placed.update(n.id for n in members)
            out = _theme_out(theme, chart, members, area_titles, named)
            charts[chart].append(out)
            by_id[out["id"]] = out
    for chart in CHARTS:  # a note no theme holds is still on the flipchart
        loose = [n for n in notes.values() if n.chart == chart and n.id not in placed]
        if loose:
            theme = {"id": f"{chart}:ungrouped", "label": "Not grouped", "area": None}
            out = _theme_out(theme, chart, loose, area_titles, named)
            charts[chart].append(out)
            by_id[out["id"]] = out
    return charts, by_id


def _theme_out(theme: dict, chart: str, members: list[Note], area_titles: dict, named: bool):
    # Counted again from the notes shown, so the figure always matches what the report lists.
    people = len({n.author_key for n in members})
    return {
        "id": theme["id"],
        "chart": chart,
        "label": theme["label"],
        "area": theme.get("area"),
        "area_title": area_titles.get(theme.get("area")),
        "participants": people,
        "recurring": people >= 2,
        "notes": [_note_out(n, area_titles, named) for n in members],
    }


def _find(board: Board, themes: dict[str, dict], area_means: dict) -> dict:
    """Recurring strengths to celebrate and training needs in board.themes' ranking, kept to
    the themes the report shows (so a need whose notes were all hidden drops out)."""
    if not themes:
        return {"recurring_strengths": [], "training_needs": []}
    summary = find_summary(board)
    strengths = [themes[t["id"]] for t in summary["recurring_strengths"] if t["id"] in themes]
    needs = [themes[t["id"]] for t in summary["training_needs"] if t["id"] in themes]
    return {
        "recurring_strengths": [_brief(t) for t in strengths],
        "training_needs": [
            {
                **_brief(theme),
                "rank": position,  # dense 1..n over the needs shown (hidden ones removed)
                "area_mean": area_means.get(theme["area"]),
            }
            for position, theme in enumerate(needs, start=1)
        ],
    }


def _brief(theme: dict) -> dict:
    return {
        "id": theme["id"],
        "label": theme["label"],
        "area": theme["area"],
        "area_title": theme["area_title"],
        "participants": theme["participants"],
        "notes": len(theme["notes"]),
    }


# --- What the meeting agreed --------------------------------------------------------------


def _person(note: Note | None) -> str | None:
    if note is None:
        return None
    person = note.author_member or note.author_user
    return person.name if person else None


def _names_allowed(match: Match | None, named: bool) -> bool:
    return named or (match is not None and match.status == MatchStatus.ACCEPTED)


def _pairs(
    matches: list[Match], actions: list[Action], notes: dict, area_titles: dict, named: bool
) -> list[dict]:
    """Agreed peer-support pairs: accepted matches, with the pair action made from each."""
    action_of = {a.match_id: a for a in actions if a.kind == ActionKind.PAIR and a.match_id}
    out = []
    for match in matches:
        action = action_of.get(match.id)
        if match.status != MatchStatus.ACCEPTED and action is None:
            continue
        show = _names_allowed(match, named)
        need, strength = notes.get(match.improvement_note_id), notes.get(match.strength_note_id)
        area = need.area if need else ""
        pair = {
            "id": match.id,
            "status": match.status,
            "need": need.text if need else None,
            "strength": strength.text if strength else None,
            "area": area or None,
            "area_title": area_titles.get(area),
            "reason": match.reason,
            "due": action.due if action else None,
            "action_status": action.status if action else None,
        }
        if show:  # the keys are absent, not empty, until names may be shown (as in API.md)
            pair["mentor"] = match.mentor.name
            pair["learner"] = _person(match.improvement_note)
        out.append(pair)
    return out


def action_out(
    action: Action, named: bool, themes: dict, area_titles: dict, matches_by_id: dict
) -> dict:
    """An agreed action as reports show it; a pair's owner is withheld until both agreed."""
    owner = action.owner
    if action.kind == ActionKind.PAIR and not _names_allowed(
        matches_by_id.get(action.match_id), named
    ):
        owner = WITHHELD_OWNER  # a pair is not named before both colleagues said yes
    theme = themes.get(action.theme)
    return {
        "id": action.id,
        "kind": action.kind,
        "kind_label": action.get_kind_display(),
        "title": action.title,
        "theme": action.theme or None,
        "theme_label": theme["label"] if theme else None,
        "area": action.area or None,
        "area_title": area_titles.get(action.area),
        "owner": owner,
        "due": action.due,
        "status": action.status,
        "status_label": action.get_status_display(),
        "note": action.note,
    }
