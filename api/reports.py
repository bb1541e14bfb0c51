"""The meeting report (JSON, PDF, XLSX, CSV) and a team's history, for the round's leader.

The report may be downloaded while the round is still open: it is then marked as a draft
(`draft: true`, a DRAFT watermark, "-draft" in the file name). docs/reports.md says what each
format holds and its privacy rules.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify
from ninja import Router

from api.auth import AUTH, Caller, require_leader
from audits.access import audit_for_leader, audit_for_participant, team_for_leader
from reports.content import report_for
from reports.csv import render_csv
from reports.history import history_for
from reports.pdf import render_pdf
from reports.xlsx import render_xlsx

router = Router(tags=["reports"], auth=AUTH)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _binary(media_type: str, what: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": what,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _download(body: bytes, content_type: str, audit, what: str, extension: str) -> HttpResponse:
    """The file as an attachment named for what it is: 'science-autumn-audit-report.pdf'
    ('-draft' while the round is open). Slugified, so the header needs no quoting rules."""
    stem = slugify(f"{audit.team.name} {audit.title}")[:80] or f"round-{audit.id}"
    draft = "-draft" if audit.is_open else ""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{what}{draft}.{extension}"'
    return response


def _audit(request, audit: int):
    """The round, and whether the caller gets the team's copy (a participant) or the
    leader's. API.md lists the report for participants and leaders alike."""
    caller: Caller = request.auth
    if caller.is_leader:
        return audit_for_leader(caller.user, audit), False
    return audit_for_participant(caller.invitation, audit), True


@router.get("/audits/{audit}/report")
def get_report(request, audit: int):
    """Everything the meeting report holds, as JSON: results (suppressed as in `results`),
    participation, the flipcharts from the reveal on (authors only in named rounds), recurring
    strengths, training needs ranked, pairs (named once both agreed) and agreed actions."""
    audit_obj, for_team = _audit(request, audit)
    return report_for(audit_obj, for_team=for_team)


@router.get("/audits/{audit}/report.pdf", openapi_extra=_binary("application/pdf", "A4 PDF"))
def get_report_pdf(request, audit: int):
    """The meeting report as an A4 PDF (a DRAFT watermark while the round is open)."""
    audit_obj, for_team = _audit(request, audit)
    pdf = render_pdf(report_for(audit_obj, for_team=for_team))
    return _download(pdf, "application/pdf", audit_obj, "report", "pdf")


@router.get("/audits/{audit}/report.xlsx", openapi_extra=_binary(XLSX, "Spreadsheet"))
def get_report_xlsx(request, audit: int):
    """The meeting report as a spreadsheet, one sheet per part."""
    audit_obj, for_team = _audit(request, audit)
    report = report_for(audit_obj, for_team=for_team)
    return _download(render_xlsx(report), XLSX, audit_obj, "report", "xlsx")


@router.get("/audits/{audit}/report.csv", openapi_extra=_binary("text/csv", "One row per answer"))
def get_report_csv(request, audit: int):
    """The round's submitted answers in long form, one row per answer; no column says who
    answered in an anonymous round."""
    audit_obj, for_team = _audit(request, audit)
    body = render_csv(audit_obj, for_team=for_team)
    return _download(body, "text/csv; charset=utf-8", audit_obj, "answers", "csv")


@router.get("/teams/{team}/history", tags=["teams"])
def get_history(request, team: int, round: int | None = None):
    """The team's rounds over time, `round` (default: the latest) beside the one before it
    area by area, and the earlier round's actions with their status."""
    return history_for(team_for_leader(require_leader(request), team), round)
