"""Signing up, signing in and out, the leader's home page, API tokens."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm, SignupForm, TeamForm, TokenForm
from accounts.models import ApiToken, School, Team, User
from audits.models import Audit

log = logging.getLogger("flipchart.auth")


def home(request):
    if not request.user.is_authenticated:
        return render(request, "accounts/welcome.html")
    teams = Team.objects.for_leader(request.user).prefetch_related("members")
    audits = (
        Audit.objects.for_leader(request.user)
        .select_related("team")
        .order_by("status", "-created")[:20]
    )
    return render(
        request, "accounts/home.html", {"teams": teams, "audits": audits, "team_form": TeamForm()}
    )


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            school = School.objects.create(name=form.cleaned_data["school"].strip())
            user = User.objects.create_user(
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                name=form.cleaned_data["name"].strip(),
                school=school,
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        log.info("signup: leader %s", user.pk)
        messages.success(request, "Welcome to Flipchart. Start by creating your team.")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


class FlipchartLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        log.info("login ok: leader %s", form.get_user().pk)
        return super().form_valid(form)

    def form_invalid(self, form):
        log.warning("login failed for %r", self.request.POST.get("username", "")[:100])
        return super().form_invalid(form)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _, secret = ApiToken.issue(request.user, form.cleaned_data["label"])
        form = TokenForm()
    rows = request.user.api_tokens.active().order_by("-created")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "secret": secret})


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(request.user.api_tokens.active(), pk=token_id)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    messages.success(request, f"Token “{token.label}” revoked.")
    return redirect("tokens")
