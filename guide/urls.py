from django.urls import path

from guide import views

urlpatterns = [
    path("", views.overview, name="guide"),
    path("my-notes/", views.my_notes, name="guide-notes"),
    path("my-notes.md", views.notes_export, name="guide-notes-export"),
    path("my-notes/<int:note_id>/delete/", views.note_delete, name="guide-note-delete"),
    # Before the step pattern: "checkpoint" is reserved and never a step id.
    path("<slug:unit_id>/checkpoint/", views.checkpoint, name="guide-checkpoint"),
    path("<slug:unit_id>/<slug:step_id>/", views.step_page, name="guide-step"),
    path("<slug:unit_id>/<slug:step_id>/done/", views.step_done, name="guide-step-done"),
    path("<slug:unit_id>/<slug:step_id>/note/", views.step_note, name="guide-note"),
    path("<slug:unit_id>/<slug:step_id>/question/", views.step_answer, name="guide-answer"),
]
