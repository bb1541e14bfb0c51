"""Aggregating a round's answers: distributions, means, medians, heat map and talking points.

The figures are built only from submitted responses, so a leader cannot watch one person's
answers arrive. In anonymous rounds any figure from fewer than MIN_GROUP people is suppressed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from audits.models import Answer, Area, Audit, Item, ItemKind

MIN_GROUP = 3


@dataclass(frozen=True)
class Rating:
    member: int
    item: int
    rating: int | None


def summarise(values: list[int], scale_values: list[int]) -> dict:
    """Mean, median and distribution of ratings (not-applicable answers excluded beforehand)."""
    distribution = {str(v): 0 for v in scale_values}
    for value in values:
        distribution[str(value)] = distribution.get(str(value), 0) + 1
    return {
        "n": len(values),
        "mean": statistics.fmean(values) if values else None,
        "median": statistics.median(values) if values else None,
        "distribution": distribution,
    }


def _suppressible(summary: dict, people: int, anonymous: bool) -> dict:
    if anonymous and people < MIN_GROUP:
        return {"n": None, "mean": None, "median": None, "distribution": None, "suppressed": True}
    return {**summary, "suppressed": False}


def compute_results(
    areas: list[Area],
    items: list[Item],
    ratings: list[Rating],
    scale: list[dict],
    anonymous: bool,
    responses: int,
) -> dict:
    """Pure aggregation over plain rows; see the module docstring for the privacy rules."""
    scale_values = [p["value"] for p in scale]
    by_item: dict[int, list[Rating]] = defaultdict(list)
    for r in ratings:
        by_item[r.item].append(r)
    items_by_area: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        items_by_area[item.area_id].append(item)

    statements_out = []
    for item in items:
        rows = by_item[item.id]
        values = [r.rating for r in rows if r.rating is not None]
        values_scale = [p["value"] for p in (item.scale or scale)]
        summary = summarise(values, values_scale)
        summary["not_applicable"] = sum(1 for r in rows if r.rating is None)
        people = len({r.member for r in rows if r.rating is not None})
        out = _suppressible(summary, people, anonymous)
        if out["suppressed"]:
            out["not_applicable"] = None
        statements_out.append(
            {
                "id": item.id,
                "area": item.area.key,
                "kind": item.kind,
                "text": item.text,
                "scale": item.scale or scale,
                **out,
            }
        )

    areas_out = []
    for area in areas:
        area_items = items_by_area[area.id]
        statement_ids = {i.id for i in area_items if i.kind == ItemKind.STATEMENT}
        rows = [r for i in statement_ids for r in by_item[i] if r.rating is not None]
        values = [r.rating for r in rows]
        people = len({r.member for r in rows})
        summary = _suppressible(summarise(values, scale_values), people, anonymous)
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
        summary["spread"] = None if summary["suppressed"] else spread
        summary["people"] = None if summary["suppressed"] else people
        question = next((i for i in area_items if i.kind == ItemKind.QUESTION), None)
        areas_out.append(
            {
                "key": area.key,
                "title": area.title,
                "question_id": question.id if question else None,
                **summary,
            }
        )
    return {
        "responses": responses,
        "areas": areas_out,
        "statements": statements_out,
        "talking_points": talking_points(areas_out),
    }


def talking_points(areas: list[dict], count: int = 3) -> dict:
    """Strongest and weakest areas by mean, and where people disagree most."""
    shown = [a for a in areas if not a.get("suppressed") and a.get("mean") is not None]
    brief = [{"key": a["key"], "title": a["title"], "mean": a["mean"]} for a in shown]
    by_mean = sorted(brief, key=lambda a: (-a["mean"], a["key"]))
    spread = sorted(shown, key=lambda a: (-(a["spread"] or 0), a["key"]))
    return {
        "strongest": by_mean[:count],
        "weakest": list(reversed(by_mean[-count:])) if len(by_mean) > count else by_mean[::-1],
        "widest_disagreement": [
            {"key": a["key"], "title": a["title"], "spread": a["spread"]}
            for a in spread[:count]
            if (a["spread"] or 0) > 0
        ],
    }


def load_ratings(audit: Audit) -> tuple[list[Area], list[Item], list[Rating], int]:
    """The round's structure and its submitted ratings, in a constant number of queries."""
    areas = list(Area.objects.filter(instrument_id=audit.instrument_id))
    items = list(
        Item.objects.filter(area__instrument_id=audit.instrument_id).select_related("area")
    )
    rows = Answer.objects.filter(
        response__audit=audit, response__submitted__isnull=False
    ).values_list("response__member_id", "item_id", "rating")
    ratings = [Rating(member, item, rating) for member, item, rating in rows]
    responses = audit.responses.filter(submitted__isnull=False).count()
    return areas, items, ratings, responses


def results_for(audit: Audit) -> dict:
    areas, items, ratings, responses = load_ratings(audit)
    return compute_results(
        areas, items, ratings, audit.instrument.scale, audit.anonymous, responses
    )


def heat_map(audit: Audit) -> dict:
    """Members × areas mean ratings — named rounds only; a person's row is never coloured
    against colleagues, only shown beside the team's figure."""
    if audit.anonymous:
        raise PermissionError("Anonymous rounds have no per-person view.")
    areas, items, ratings, _ = load_ratings(audit)
    area_of = {i.id: i.area_id for i in items if i.kind == ItemKind.STATEMENT}
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in ratings:
        if r.rating is not None and r.item in area_of:
            cells[(r.member, area_of[r.item])].append(r.rating)
    members = sorted({m for m, _ in cells})
    return {
        "areas": [{"id": a.id, "key": a.key, "title": a.title} for a in areas],
        "rows": [
            {
                "member": m,
                "cells": [
                    statistics.fmean(cells[(m, a.id)]) if cells.get((m, a.id)) else None
                    for a in areas
                ],
            }
            for m in members
        ],
    }


def own_area_means(audit: Audit, member_id: int) -> dict[str, float]:
    """One member's mean rating per area key, from all their saved statement answers."""
    rows = Answer.objects.filter(
        response__audit=audit,
        response__member_id=member_id,
        rating__isnull=False,
        item__kind=ItemKind.STATEMENT,
    ).values_list("item__area__key", "rating")
    own: dict[str, list[int]] = defaultdict(list)
    for key, rating in rows:
        own[key].append(rating)
    return {key: statistics.fmean(values) for key, values in own.items()}


def member_profile(audit: Audit, member_id: int) -> list[dict]:
    """One member's own area means (from all their saved answers) beside the team's figures."""
    areas, items, ratings, _ = load_ratings(audit)
    team = compute_results(areas, items, ratings, audit.instrument.scale, audit.anonymous, 0)
    own = own_area_means(audit, member_id)
    return [
        {
            "key": a["key"],
            "title": a["title"],
            "mine": own.get(a["key"]),
            "team": a["mean"],
            "suppressed": a["suppressed"],
        }
        for a in team["areas"]
    ]
