"""The authoring studio at /studio/: a teacher's lessons, and each lesson's pages while it is written.

Every page is a teacher's (role_required) and answers 404 for a lesson the user neither owns nor co-authors.
"""

from django.urls import include, path

from .views import studio, studio_interop

app_name = "studio"

urlpatterns = [
    path("", studio.my_lessons, name="lessons"),
    path("new/", studio.new_lesson, name="new"),
    path("upload/", studio.upload, name="upload"),
    path("import-questions/", studio_interop.import_questions, name="import_questions"),
    path("<slug:slug>/", studio.overview, name="lesson"),
    path("<slug:slug>/article/", studio.article, name="article"),
    path("<slug:slug>/entities/", studio.entities, name="entities"),
    path("<slug:slug>/claims/", studio.claims, name="claims"),
    path("<slug:slug>/settings/", studio.lesson_settings, name="settings"),
    path("<slug:slug>/file/", studio.lesson_file, name="file"),
    path("<slug:slug>/export/", studio_interop.export, name="export"),
    path("<slug:slug>/export/<slug:file_format>/", studio_interop.export_download, name="export_download"),
    path("<slug:slug>/duplicate/", studio.duplicate, name="duplicate"),
    path("<slug:slug>/archive/", studio.archive, name="archive"),
    path("", include("lessons.web.studio_question_urls")),
]
