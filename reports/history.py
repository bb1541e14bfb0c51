"""A team's rounds over time: `history_for(team)`.

Each round's area summary is computed with audits.results' own rules (submitted answers only;
in an anonymous round no figure from fewer than 3 people), then the chosen round is set beside
the one before it: which areas moved, by how much, and with how many people on each side.
A change is given only when both sides have a figure on the same scale; otherwise `why` says
what is missing. The previous round's actions come with their status.

The number of queries does not grow with the number of rounds.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from accounts.models import Team
from audits.models import Answer, Area, Audit, Invitation, Item, Response
from audits.results import Rating, compute_results
from board.models import Action, ActionStatus
from reports.content import action_out

# A change of a quarter of a scale point or more counts as a move (the built-in scale is 1-4).
MOVED = 0.25


def history_for(team: Team, current: int | None = None) -> dict:
    """The team's rounds, oldest first, and `current` (default: the latest) beside the one
    before it. An unknown `current` id falls back to the latest round."""
    audits = list(team.audits.select_related("instrument").order_by("created", "id"))
    rounds = _round_summaries(audits)
    chosen = next((i for i, a in enumerate(audits) if a.id == current), len(audits) - 1)
    comparison, previous_actions = None, []
    if chosen > 0:
        before, now = rounds[chosen - 1], rounds[chosen]
        comparison = compare(before, now)
        previous_actions = _actions_of(audits[chosen - 1], before)
    return {
        "team": {"id": team.id, "name": team.name, "kind": team.kind},
        "rounds": rounds,
        "current": rounds[chosen]["id"] if rounds else None,
        "previous": rounds[chosen - 1]["id"] if chosen > 0 else None,
        "comparison": comparison,
        "previous_actions": previous_actions,
        "previous_actions_by_status": _count_status(previous_actions),
        "moved_threshold": MOVED,
    }


def _round_summaries(audits: list[Audit]) -> list[dict]:
    if not audits:
        return []
    ids = [a.id for a in audits]
    instruments = {a.instrument_id for a in audits}
    areas = defaultdict(list)
    for area in Area.objects.filter(instrument_id__in=instruments):
        areas[area.instrument_id].append(area)
    items = defaultdict(list)
    for item in Item.objects.filter(area__instrument_id__in=instruments).select_related("area"):
        items[item.area.instrument_id].append(item)
    ratings = defaultdict(list)
    rows = Answer.objects.filter(
        response__audit_id__in=ids, response__submitted__isnull=False
    ).values_list("response__audit_id", "response__member_id", "item_id", "rating")
    for audit_id, member, item, rating in rows:
        ratings[audit_id].append(Rating(member, item, rating))
    responded = _counts(Response.objects.filter(audit_id__in=ids, submitted__isnull=False))
    invited = _counts(Invitation.objects.active().filter(audit_id__in=ids))
    out = []
    for audit in audits:
        scale = audit.instrument.scale
        results = compute_results(
            areas[audit.instrument_id],
            items[audit.instrument_id],
            ratings[audit.id],
            scale,
            audit.anonymous,
            responded.get(audit.id, 0),
        )
        out.append(
            {
                "id": audit.id,
                "title": audit.title,
                "status": audit.status,
                "draft": audit.is_open,
                "anonymous": audit.anonymous,
                "created": audit.created,
                "closed_at": audit.closed_at,
                "meeting_starts_at": audit.meeting_starts_at,
                "invited": invited.get(audit.id, 0),
                "responded": responded.get(audit.id, 0),
                "scale": scale,
                "areas": [_side(a) for a in results["areas"]],
            }
        )
    return out


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.values("audit_id").annotate(n=Count("id")).values_list("audit_id", "n"))


def _side(area: dict) -> dict:
    """An area's figure as history shows it (no figure at all when suppressed)."""
    if area["suppressed"]:
        return {"key": area["key"], "title": area["title"], "suppressed": True}
    return {
        "key": area["key"],
        "title": area["title"],
        "suppressed": False,
        "mean": area["mean"],
        "people": area["people"],
    }


def compare(before: dict, now: dict) -> dict:
    """Area by area: the earlier round's figure, this round's, and the change between them."""
    same_scale = [p["value"] for p in before["scale"]] == [p["value"] for p in now["scale"]]
    earlier = {a["key"]: a for a in before["areas"]}
    keys = [a["key"] for a in now["areas"]]
    keys += [k for k in earlier if k not in set(keys)]
    later = {a["key"]: a for a in now["areas"]}
    rows = []
    for key in keys:
        old, new = earlier.get(key), later.get(key)
        change, why = None, None
        if old is None or new is None:
            why = "Not asked in both rounds"
        elif old["suppressed"] or new["suppressed"]:
            why = "Hidden: fewer than 3 people answered in one of the rounds"
        elif old.get("mean") is None or new.get("mean") is None:
            why = "No answers in one of the rounds"
        elif not same_scale:
            why = "The rounds used different scales"
        else:
            change = new["mean"] - old["mean"]
        rows.append(
            {
                "key": key,
                "title": (new or old)["title"],
                "previous": old,
                "current": new,
                "change": change,
                "direction": _direction(change),
                "why": why,
            }
        )
    moved = [r for r in rows if r["direction"] in ("up", "down")]
    moved.sort(key=lambda r: (-abs(r["change"]), r["key"]))
    return {
        "previous": {"id": before["id"], "title": before["title"], "created": before["created"]},
        "current": {"id": now["id"], "title": now["title"], "created": now["created"]},
        "scale": now["scale"],
        "areas": rows,
        "moved": [
            {
                "key": r["key"],
                "title": r["title"],
                "change": r["change"],
                "direction": r["direction"],
            }
            for r in moved
        ],
    }


def _direction(change: float | None) -> str | None:
    if change is None:
        return None
    if change >= MOVED:
        return "up"
    if change <= -MOVED:
        return "down"
    return "steady"


def _actions_of(audit: Audit, summary: dict) -> list[dict]:
    titles = {a["key"]: a["title"] for a in summary["areas"]}
    actions = list(
        Action.objects.filter(board__audit=audit).select_related("match").order_by("due", "id")
    )
    matches = {a.match_id: a.match for a in actions if a.match_id}
    named = not audit.anonymous
    return [action_out(a, named, {}, titles, matches) for a in actions]


def _count_status(actions: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(ActionStatus.values, 0)
    for action in actions:
        counts[action["status"]] = counts.get(action["status"], 0) + 1
    return counts
