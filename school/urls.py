from django.urls import path

from school import views

urlpatterns = [
    path("school/", views.overview, name="school"),
    path("school/leaders-round/", views.leaders_round, name="school-leaders-round"),
    path(
        "teams/<int:team_id>/members/<int:member_id>/erase/",
        views.member_erase,
        name="member-erase",
    ),
]
