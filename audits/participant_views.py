"""The teacher's pages, reached through their personal link: answer, submit, see my profile."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits.access import remember_invitation, session_invitation
from audits.answers import AnswerError, AnswerIn, RoundClosed, save_answers
from audits.models import Answer, Area, Invitation, Item, ItemKind, Response
from audits.results import member_profile
from flipchart.throttle import client_ip, record_failure

log = logging.getLogger("flipchart.auth")


def open_link(request, token: str):
    """/i/<token>: remember the invitation in this browser, then drop the token from the URL."""
    invitation = Invitation.objects.by_token(token)
    if invitation is None:
        ip = client_ip(request.META)
        log.warning("unknown invitation link from %s", ip)
        status = 429 if record_failure("link", ip) > settings.TOKEN_FAILURES_PER_MINUTE else 404
        return render(request, "audits/link_unknown.html", status=status)
    request.session.cycle_key()
    remember_invitation(request.session, invitation)
    if invitation.opened is None:
        Invitation.objects.filter(pk=invitation.pk).update(opened=timezone.now())
    return redirect("take", invitation.audit_id)


def _invitation(request, audit_id: int) -> Invitation:
    invitation = session_invitation(request.session, audit_id)
    if invitation is None:
        raise Http404("Open your personal link again to continue.")
    return invitation


def _areas(audit) -> list[Area]:
    return list(
        Area.objects.filter(instrument_id=audit.instrument_id).prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position"))
        )
    )


def _answers(audit, member_id) -> tuple[Response | None, dict[int, Answer]]:
    response = Response.objects.filter(audit=audit, member_id=member_id).first()
    answers = {a.item_id: a for a in response.answers.all()} if response else {}
    return response, answers


def _progress(areas: list[Area], answers: dict[int, Answer]) -> list[dict]:
    """Per area, in order: how many of its questions this member has answered."""
    rows = []
    for number, area in enumerate(areas, start=1):
        ids = [i.id for i in area.items.all()]
        answered = sum(1 for i in ids if i in answers)
        rows.append({"number": number, "area": area, "answered": answered, "total": len(ids)})
    return rows


def take(request, audit_id: int):
    invitation = _invitation(request, audit_id)
    audit = invitation.audit
    areas = _areas(audit)
    response, answers = _answers(audit, invitation.member_id)
    progress = _progress(areas, answers)
    answered = sum(p["answered"] for p in progress)
    total = sum(p["total"] for p in progress)
    return render(
        request,
        "audits/take_start.html",
        {
            "audit": audit,
            "member": invitation.member,
            "progress": progress,
            "answered": answered,
            "total": total,
            "response": response,
            "next_step": next((p["number"] for p in progress if p["answered"] < p["total"]), 1),
        },
    )


def take_area(request, audit_id: int, step: int):
    invitation = _invitation(request, audit_id)
    audit = invitation.audit
    areas = _areas(audit)
    if not 1 <= step <= len(areas):
        raise Http404("No such part of the questionnaire.")
    area = areas[step - 1]
    items = list(area.items.all())
    response, answers = _answers(audit, invitation.member_id)
    error = None
    if request.method == "POST":
        sent = []
        for item in items:
            raw = request.POST.get(f"rating-{item.id}")
            if raw is None:
                continue
            rating = None if raw == "na" else (int(raw) if raw.isdigit() else -1)
            sent.append(
                AnswerIn(item.id, rating, request.POST.get(f"comment-{item.id}", "")[:2000])
            )
        support = set(response.support_areas if response else [])
        support.discard(area.key)
        if request.POST.get("support") == "1":
            support.add(area.key)
        try:
            save_answers(audit, invitation.member_id, sent, support_areas=sorted(support))
        except RoundClosed:
            error = "This round has closed, so answers can no longer change."
        except AnswerError as exc:
            error = exc.errors[0]["msg"]
        else:
            if request.POST.get("go") == "back" and step > 1:
                return redirect("take-area", audit.id, step - 1)
            if step < len(areas) and request.POST.get("go") != "review":
                return redirect("take-area", audit.id, step + 1)
            return redirect("take-review", audit.id)
    scale = audit.instrument.scale
    rows = [{"item": i, "scale": i.scale or scale, "answer": answers.get(i.id)} for i in items]
    return render(
        request,
        "audits/take_area.html",
        {
            "audit": audit,
            "area": area,
            "step": step,
            "steps": len(areas),
            "question": next(r for r in rows if r["item"].kind == ItemKind.QUESTION),
            "statements": [r for r in rows if r["item"].kind == ItemKind.STATEMENT],
            "wants_support": bool(response and area.key in response.support_areas),
            "error": error,
            "percent": round(100 * (step - 1) / len(areas)),
        },
    )


def take_review(request, audit_id: int):
    invitation = _invitation(request, audit_id)
    audit = invitation.audit
    areas = _areas(audit)
    response, answers = _answers(audit, invitation.member_id)
    rows = _progress(areas, answers)
    return render(
        request,
        "audits/take_review.html",
        {
            "audit": audit,
            "rows": rows,
            "response": response,
            "missing": sum(r["total"] - r["answered"] for r in rows),
        },
    )


@require_POST
def take_submit(request, audit_id: int):
    invitation = _invitation(request, audit_id)
    try:
        save_answers(invitation.audit, invitation.member_id, [], submit=True)
    except RoundClosed:
        return render(request, "audits/take_closed.html", {"audit": invitation.audit}, status=409)
    return redirect("take-profile", audit_id)


def take_profile(request, audit_id: int):
    invitation = _invitation(request, audit_id)
    audit = invitation.audit
    rows = member_profile(audit, invitation.member_id)
    response, _ = _answers(audit, invitation.member_id)
    return render(
        request,
        "audits/take_profile.html",
        {
            "audit": audit,
            "rows": rows,
            "response": response,
            "scale": audit.instrument.scale,
        },
    )
