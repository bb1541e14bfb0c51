"""The report and history pages: authorise through the one access helper, gather, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audits.access import audit_for_leader, team_for_leader
from board.models import Chart
from reports.content import report_for, statements_by_area
from reports.history import history_for


@login_required
def report_page(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    report = report_for(audit)
    return render(
        request,
        "reports/report.html",
        {
            "audit": audit,
            "report": report,
            "scale": report["instrument"]["scale"],
            "statements_by_area": statements_by_area(report),
            "charts": Chart.choices,
        },
    )


@login_required
def history_page(request, team_id: int):
    team = team_for_leader(request.user, team_id)
    try:
        current = int(request.GET.get("round", ""))
    except ValueError:
        current = None
    history = history_for(team, current)
    rounds = {r["id"]: r for r in history["rounds"]}
    return render(
        request,
        "reports/history.html",
        {
            "team": team,
            "history": history,
            "current": rounds.get(history["current"]),
            "previous": rounds.get(history["previous"]),
            "rounds_newest_first": list(reversed(history["rounds"])),
            "area_rows": _area_rows(history["rounds"]),
        },
    )


def _area_rows(rounds: list[dict]) -> list[dict]:
    """Areas × rounds, for the 'over time' table (areas in the latest round's order first)."""
    order: dict[str, str] = {}
    for summary in reversed(rounds):
        for area in summary["areas"]:
            order.setdefault(area["key"], area["title"])
    cells = {(r["id"], a["key"]): a for r in rounds for a in r["areas"]}
    return [
        {"key": key, "title": title, "cells": [cells.get((r["id"], key)) for r in rounds]}
        for key, title in order.items()
    ]
