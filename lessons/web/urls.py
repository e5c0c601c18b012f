from django.urls import include, path

from .views import catalog, player, progress, review, site

app_name = "lessons"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("lessons/<slug:slug>/", catalog.lesson_detail, name="lesson_detail"),
    # What each standing of a claim means: the glossary attribution questions link to.
    path("standings/", catalog.standings, name="standings"),
    # The lesson player (self-study): answer, instant feedback, finish, retry.
    path("lessons/<slug:slug>/play/", player.play, name="play"),
    path("lessons/<slug:slug>/play/answer/<slug:question_key>/", player.answer, name="answer"),
    path("lessons/<slug:slug>/play/finish/", player.finish, name="finish"),
    path("lessons/<slug:slug>/play/retry/", player.retry, name="retry"),
    path("attempts/<int:attempt_id>/", player.summary, name="attempt_summary"),
    # The review queue of missed questions, scheduled by spaced repetition.
    path("review/", review.queue, name="review"),
    path("review/<int:item_id>/answer/", review.answer, name="review_answer"),
    # Progress by lesson, by focus, by actor and by treaty.
    path("progress/", progress.overview, name="progress"),
    path("progress/actors/<slug:slug>/", progress.actor, name="progress_actor"),
    path("progress/treaties/<slug:slug>/", progress.treaty, name="progress_treaty"),
    path("", include("lessons.web.classroom_urls")),
]
