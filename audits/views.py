"""The leader's pages: teams, members, rounds, results; and the meeting's calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import MembersForm, TeamForm
from accounts.models import Member, Team
from accounts.roster import parse_csv, parse_pasted
from audits.access import audit_for_leader, team_for_leader
from audits.forms import AuditForm
from audits.instruments import builtin_instrument, visible_instruments
from audits.results import heat_map, results_for
from audits.rounds import (
    MeetingSlot,
    add_members_to_open_rounds,
    live_invitations,
    meeting_ics,
    participation,
    send_invitations,
    start_round,
)


@login_required
@require_POST
def team_create(request):
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the team a name and choose its kind.")
        return redirect("home")
    team = Team.objects.create(
        school=request.user.school,
        leader=request.user,
        name=form.cleaned_data["name"].strip(),
        kind=form.cleaned_data["kind"],
    )
    return redirect("team", team.id)


@login_required
def team_detail(request, team_id: int):
    team = team_for_leader(request.user, team_id)
    form = MembersForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        # Importing the same list twice must not give everyone a second link.
        existing = {e.lower() for e in team.members.current().values_list("email", flat=True) if e}
        if form.cleaned_data.get("csv_file"):
            entries, errors = parse_csv(form.cleaned_data["csv_file"].read(), existing)
        else:
            entries, errors = parse_pasted(form.cleaned_data["pasted"], existing)
        if not errors:
            with transaction.atomic():
                Member.objects.bulk_create(
                    [Member(team=team, name=e.name, email=e.email) for e in entries]
                )
                add_members_to_open_rounds(team)
            messages.success(request, f"Added {len(entries)} to {team.name}.")
            return redirect("team", team.id)
    return render(
        request,
        "audits/team.html",
        {
            "team": team,
            "members": team.members.current(),
            "form": form,
            "roster_errors": errors,
            "audits": team.audits.all(),
        },
    )


@login_required
@require_POST
def member_remove(request, team_id: int, member_id: int):
    from django.utils import timezone

    team = team_for_leader(request.user, team_id)
    member = team.members.current().filter(pk=member_id).first()
    if member:
        member.removed = timezone.now()
        member.save(update_fields=["removed"])
        member.invitations.filter(revoked__isnull=True).update(revoked=timezone.now())
        messages.success(request, f"{member.name} removed; their links no longer work.")
    return redirect("team", team.id)


@login_required
def audit_create(request, team_id: int):
    team = team_for_leader(request.user, team_id)
    builtin_instrument()
    instruments = list(visible_instruments(request.user.school))
    form = AuditForm(
        request.POST or None,
        instruments=instruments,
        initial={"instrument": str(instruments[0].id)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        instrument = next(i for i in instruments if str(i.id) == data["instrument"])
        meeting = None
        if data["meeting_starts_at"]:
            meeting = MeetingSlot(
                data["meeting_starts_at"], data["meeting_ends_at"], data["meeting_location"].strip()
            )
        audit = start_round(
            team,
            instrument,
            data["title"].strip(),
            anonymous=data["anonymous"],
            closes_at=data["closes_at"],
            meeting=meeting,
        )
        messages.success(request, "Round started. Share each person's link below.")
        return redirect("audit", audit.id)
    return render(request, "audits/audit_new.html", {"team": team, "form": form})


@login_required
def audit_detail(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    results = results_for(audit)
    heat = heat_map(audit) if not audit.anonymous else None
    if heat:
        names = dict(audit.team.members.values_list("id", "name"))
        for row in heat["rows"]:
            row["name"] = names.get(row["member"], "Former member")
    return render(
        request,
        "audits/audit.html",
        {
            "audit": audit,
            "team": audit.team,
            "participation": participation(audit),
            "invitations": live_invitations(audit),
            "results": results,
            "heat": heat,
            "scale": audit.instrument.scale,
            "statements_by_area": _statements_by_area(results),
        },
    )


def _statements_by_area(results: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in results["statements"]:
        grouped.setdefault(row["area"], []).append(row)
    return grouped


@login_required
@require_POST
def audit_send(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    reminder = request.POST.get("reminder") == "1"
    count = send_invitations(audit, reminder=reminder)
    word = "Reminders" if reminder else "Invitations"
    messages.success(request, f"{word} sent to {count} people with an e-mail address.")
    return redirect("audit", audit.id)


@login_required
@require_POST
def audit_close(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    audit.close()
    messages.success(request, "The round is closed. Answers can no longer change.")
    return redirect("audit", audit.id)


@login_required
def audit_ics(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    if audit.meeting_starts_at is None:
        messages.error(request, "This round has no meeting slot yet.")
        return redirect("audit", audit.id)
    response = HttpResponse(meeting_ics(audit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{audit.id}-meeting.ics"'
    return response


@login_required
@require_POST
def link_renew(request, audit_id: int, member_id: int):
    """Revoke a member's link (lost, forwarded by mistake) and make a new one."""
    audit = audit_for_leader(request.user, audit_id)
    invitation = live_invitations(audit).filter(member_id=member_id).first()
    if invitation is not None:
        invitation.revoke_and_reissue()
        messages.success(
            request, f"{invitation.member.name} has a new link; the old one no longer works."
        )
    return redirect(f"{reverse('audit', args=[audit.id])}#links")
