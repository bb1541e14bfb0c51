from django.urls import path

from audits import instrument_views, views
from audits import participant_views as take

urlpatterns = [
    path("instruments/", instrument_views.instruments, name="instruments"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
    path(
        "teams/<int:team_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path("teams/<int:team_id>/audits/new/", views.audit_create, name="audit-create"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit"),
    path("audits/<int:audit_id>/send/", views.audit_send, name="audit-send"),
    path("audits/<int:audit_id>/close/", views.audit_close, name="audit-close"),
    path("audits/<int:audit_id>/links/<int:member_id>/renew/", views.link_renew, name="link-renew"),
    path("audits/<int:audit_id>/meeting.ics", views.audit_ics, name="audit-ics"),
    path("i/<str:token>", take.open_link, name="invitation"),
    path("take/<int:audit_id>/", take.take, name="take"),
    path("take/<int:audit_id>/<int:step>/", take.take_area, name="take-area"),
    path("take/<int:audit_id>/review/", take.take_review, name="take-review"),
    path("take/<int:audit_id>/submit/", take.take_submit, name="take-submit"),
    path("take/<int:audit_id>/profile/", take.take_profile, name="take-profile"),
]
