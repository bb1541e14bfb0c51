from django.urls import path

from board import views

urlpatterns = [
    path("audits/<int:audit_id>/board/", views.facilitator_board, name="facilitator-board"),
    path("audits/<int:audit_id>/join/", views.join, name="board-join"),
    path("take/<int:audit_id>/board/", views.participant_board, name="participant-board"),
]
