from django.urls import path

from reports import views

urlpatterns = [
    path("audits/<int:audit_id>/report/", views.report_page, name="audit-report"),
    path("teams/<int:team_id>/history/", views.history_page, name="team-history"),
]
