"""Account pages, included at accounts/ before django.contrib.auth.urls.

Sign-up, the profile and two password views (changing, and setting one from a reset link, which end a
one-time password) are ours. The other password pages are Django's own views, mapped here again under the
same paths and names as in django.contrib.auth.urls only to name our templates: django.contrib.admin comes
before lessons in INSTALLED_APPS, so the admin's registration/password_*.html would otherwise be rendered.
Log in is Django's view with our form (it refuses an expired one-time password); log out comes from
django.contrib.auth.urls (registration/login.html is not one the admin ships).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from .views import accounts

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.profile, name="profile"),
    path(
        "password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/reset_password.html",
            email_template_name="registration/reset_password_email.txt",
            subject_template_name="registration/reset_password_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_password_complete.html"
        ),
        name="password_reset_complete",
    ),
]
