"""The JSON API, version 1 (../shared/docs/API.md is its contract)."""

from ninja import NinjaAPI

from api import audits, board, errors, instruments, me, outcomes, reports, school, teams, themes

api = NinjaAPI(
    title="Flipchart API",
    version="1",
    description="Audit rounds, answers, results and the live meeting board. "
    "Authenticate with `Authorization: Bearer <token>` (a leader's API token or a "
    "participant's invitation token) or the browser session.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
errors.install(api)
api.add_router("/instruments", instruments.router)
api.add_router("/teams", teams.router)
api.add_router("/audits", audits.router)
api.add_router("/audits", board.router)
api.add_router("/audits", themes.router)
api.add_router("/audits", outcomes.router)
api.add_router("", me.router)
api.add_router("", reports.router)
api.add_router("", school.router)
