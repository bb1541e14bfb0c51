"""The senior leader's school page, the cross-department round, and erasing a member."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audits.access import team_for_leader
from school.access import school_for_senior
from school.erasure import ERASED_NAME, erase_member
from school.leaders import leaders_team, middle_leaders
from school.overview import school_overview


@login_required
def overview(request):
    school = school_for_senior(request.user)
    return render(
        request,
        "school/overview.html",
        {
            "data": school_overview(school),
            "middle_leaders": middle_leaders(request.user).count(),
        },
    )


@login_required
@require_POST
def leaders_round(request):
    school_for_senior(request.user)
    team, added = leaders_team(request.user)
    if added:
        messages.success(request, f"{added} middle leader{'s' if added != 1 else ''} added.")
    return redirect("audit-create", team.id)


@login_required
def member_erase(request, team_id: int, member_id: int):
    """The team's leader erases a member's personal data (school.erasure), after confirming."""
    team = team_for_leader(request.user, team_id)
    member = team.members.exclude(name=ERASED_NAME, email="").filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    if request.method == "POST":
        erase_member(member)
        # Not their name: messages can wait in the session, which is data too.
        messages.success(request, "The member's personal data has been erased.")
        return redirect("team", team.id)
    # The confirmation page counts what would go by erasing inside a rolled-back transaction,
    # so what it promises is exactly what the POST does.
    preview = erase_member(member, dry_run=True)
    return render(
        request, "school/erase_member.html", {"team": team, "member": member, "preview": preview}
    )
