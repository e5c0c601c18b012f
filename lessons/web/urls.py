from django.urls import include, path

from .views import catalog, lti, player, progress, review, site

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
    # LTI 1.3 (lessons.web.views.lti)
    path("lti/jwks/", lti.jwks, name="lti_jwks"),
    path("lti/login/", lti.login_initiation, name="lti_login"),
    path("lti/launch/", lti.launch, name="lti_launch"),
    path("lti/links/<int:link_id>/lesson/", lti.link_pick, name="lti_link_pick"),
    path("lti/deep-link/<str:token>/", lti.deep_link, name="lti_deep_link"),
    path("lti/classes/<int:classroom_id>/roster/", lti.roster_sync, name="lti_roster_sync"),
]
