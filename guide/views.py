"""The guide's pages: overview and course menu, steps, checkpoint quizzes, and the leader's notes.

Every view works with a plain form post; with JavaScript the note autosaves (JSON answer) and
answers are marked in place through htmx (a fragment answer).
"""

from __future__ import annotations

import functools
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_GET, require_POST

from guide.access import note_for_leader, step_in_guide, unit_in_guide
from guide.content import GuideContentError, current_guide
from guide.course import Guide, Step, Unit
from guide.export import notes_in_guide_order, notes_markdown
from guide.links import action_url
from guide.models import MAX_NOTE, CheckpointResult, CompletedStep, ReflectionNote, StepAnswer
from guide.progress import progress_for
from guide.quiz import mark, mark_checkpoint

log = logging.getLogger("flipchart.guide")


def guide_view(view):
    """Signed-in leaders only; passes the current guide. Broken content answers 503 politely
    (the details go to the log and to `flipchart check`, not to the leader)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            guide = current_guide()
        except GuideContentError as error:
            log.error("The guide's content is invalid:\n%s", error)
            return render(request, "guide/unavailable.html", status=503)
        return view(request, guide, *args, **kwargs)

    return wrapper


def page_url(unit: Unit, step: Step | None) -> str:
    if step is None:
        return reverse("guide-checkpoint", args=[unit.id])
    return reverse("guide-step", args=[unit.id, step.id])


def _pager(guide: Guide, unit: Unit, step: Step | None) -> dict:
    """Go back / Next: the neighbouring pages in reading order, else the overview."""
    pages = guide.pages
    here = pages.index((unit, step))
    overview = {"url": reverse("guide"), "title": "Guide overview"}

    def describe(i: int) -> dict:
        u, s = pages[i]
        return {"url": page_url(u, s), "title": s.title if s else f"Checkpoint: {u.title}"}

    return {
        "previous": describe(here - 1) if here > 0 else overview,
        "next": describe(here + 1) if here + 1 < len(pages) else overview,
    }


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@guide_view
@require_GET
def overview(request, guide: Guide):
    progress = progress_for(request.user, guide)
    resume = progress.next_page()
    return render(
        request,
        "guide/overview.html",
        {
            "guide": guide,
            "progress": progress,
            "resume_url": page_url(*resume) if resume else None,
            "resume_title": (resume[1].title if resume[1] else "Checkpoint") if resume else "",
            "started": bool(progress.items_done),
        },
    )


@guide_view
@require_GET
def step_page(request, guide: Guide, unit_id: str, step_id: str):
    step = step_in_guide(guide, unit_id, step_id)
    unit = guide.unit_by_id[unit_id]
    progress = progress_for(request.user, guide)
    note = ReflectionNote.objects.for_leader(request.user).filter(step=step.id).first()
    answer = StepAnswer.objects.for_leader(request.user).filter(step=step.id).first()
    return render(
        request,
        "guide/step.html",
        {
            "guide": guide,
            "unit": unit,
            "step": step,
            "progress": progress,
            "done": progress.is_done(step),
            "done_by_milestone": progress.done_by_milestone(step),
            "marked_done": step.id in progress.marked,
            "milestone_text": progress.milestone_text(step),
            "action_url": action_url(step.action.target, request.user) if step.action else "",
            "note": note,
            "max_note": MAX_NOTE,
            "question": step.question,
            "marked": mark(step.question, answer.chosen) if answer else None,
            "answer": answer,
            "pager": _pager(guide, unit, step),
        },
    )


@guide_view
@require_POST
def step_done(request, guide: Guide, unit_id: str, step_id: str):
    step = step_in_guide(guide, unit_id, step_id)
    if request.POST.get("done") == "1":
        CompletedStep.objects.get_or_create(leader=request.user, step=step.id)
        messages.success(request, f"“{step.title}” marked as complete.")
    else:
        CompletedStep.objects.for_leader(request.user).filter(step=step.id).delete()
        messages.success(request, f"“{step.title}” marked as not complete.")
    return redirect("guide-step", unit_id, step.id)


@guide_view
@require_POST
def step_note(request, guide: Guide, unit_id: str, step_id: str):
    step = step_in_guide(guide, unit_id, step_id)
    text = request.POST.get("text", "")
    if len(text) > MAX_NOTE:
        error = f"Your note is longer than {MAX_NOTE:,} characters; please shorten it."
        if _wants_json(request):
            return JsonResponse({"saved": False, "status": error}, status=400)
        messages.error(request, error)
        return redirect(reverse("guide-step", args=[unit_id, step.id]) + "#note")
    note = ReflectionNote.save_text(request.user, step.id, text)
    moment = format_date(timezone.localtime(note.updated if note else timezone.now()), "H:i")
    status = f"Saved at {moment}" if note else "Note cleared"
    if _wants_json(request):
        return JsonResponse({"saved": True, "status": status})
    messages.success(request, "Note saved." if note else "Note cleared.")
    return redirect(reverse("guide-step", args=[unit_id, step.id]) + "#note")


@guide_view
@require_POST
def step_answer(request, guide: Guide, unit_id: str, step_id: str):
    step = step_in_guide(guide, unit_id, step_id)
    question = step.question
    chosen = request.POST.getlist(question.field_name)
    marked = mark(question, chosen)
    answer = None
    error = ""
    if not marked.answered:
        error = "Choose an answer, then check it."
    else:
        answer = StepAnswer.record(request.user, step.id, marked)
    if _is_htmx(request):
        context = {"question": question, "marked": None if error else marked, "answer": answer}
        return render(request, "guide/_feedback.html", {**context, "error": error})
    if error:
        messages.error(request, error)
    return redirect(reverse("guide-step", args=[unit_id, step.id]) + "#question")


@guide_view
def checkpoint(request, guide: Guide, unit_id: str):
    unit = unit_in_guide(guide, unit_id)
    quiz = unit.checkpoint
    if request.method == "POST":
        answers = {q.key: request.POST.getlist(q.field_name) for q in quiz.questions}
        result = mark_checkpoint(quiz, answers)
        row = None
        error = ""
        if not any(m.answered for m in result.marks):
            error = "Answer the questions, then check your answers."
        else:
            row = CheckpointResult.record(request.user, unit.id, result)
        if _is_htmx(request):
            context = {"unit": unit, "result": None if error else result, "row": row}
            return render(request, "guide/_quiz_result.html", {**context, "error": error})
        if error:
            messages.error(request, error)
        return redirect(reverse("guide-checkpoint", args=[unit.id]) + "#quiz-result")
    if request.method != "GET":
        return HttpResponse(status=405)
    row = CheckpointResult.objects.for_leader(request.user).filter(unit=unit.id).first()
    result = mark_checkpoint(quiz, row.answers) if row else None
    chosen = {m.question.key: m.chosen for m in result.marks} if result else {}
    return render(
        request,
        "guide/checkpoint.html",
        {
            "guide": guide,
            "unit": unit,
            "progress": progress_for(request.user, guide),
            "questions": [(q, chosen.get(q.key, frozenset())) for q in quiz.questions],
            "result": result,
            "row": row,
            "pager": _pager(guide, unit, None),
        },
    )


@guide_view
@require_GET
def my_notes(request, guide: Guide):
    notes = list(ReflectionNote.objects.for_leader(request.user))
    return render(
        request,
        "guide/notes.html",
        {"groups": notes_in_guide_order(guide, notes), "count": len(notes)},
    )


@guide_view
@require_GET
def notes_export(request, guide: Guide):
    notes = list(ReflectionNote.objects.for_leader(request.user))
    body = notes_markdown(guide, notes, request.user.name or request.user.email)
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    filename = f"flipchart-guide-notes-{timezone.localdate():%Y-%m-%d}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def note_delete(request, note_id: int):
    note = note_for_leader(request.user, note_id)
    note.delete()
    messages.success(request, "Note deleted.")
    return redirect("guide-notes")
