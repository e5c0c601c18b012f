"""The studio's question pages (the question editor, preview and publish), mounted inside studio_urls."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import studio_questions as views

urlpatterns: list[URLPattern] = [
    path("<slug:slug>/questions/", views.questions, name="questions"),
    path("<slug:slug>/questions/new/", views.question_new, name="question_new"),
    path("<slug:slug>/questions/<slug:key>/", views.question_edit, name="question_edit"),
    path("<slug:slug>/questions/<slug:key>/move/", views.question_move, name="question_move"),
    path("<slug:slug>/questions/<slug:key>/duplicate/", views.question_duplicate, name="question_duplicate"),
    path("<slug:slug>/questions/<slug:key>/delete/", views.question_delete, name="question_delete"),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/preview/<slug:key>/", views.preview_answer, name="preview_answer"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/revisions/", views.revisions, name="revisions"),
    path("<slug:slug>/revisions/<int:old>/<int:new>/", views.revision_diff, name="revision_diff"),
]
