from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from lessons.web.signals import remember_temporary_password, remember_time_zone, start_idle_clock

        user_logged_in.connect(remember_time_zone, dispatch_uid="lessons.remember_time_zone")
        user_logged_in.connect(
            remember_temporary_password, dispatch_uid="lessons.remember_temporary_password"
        )
        user_logged_in.connect(start_idle_clock, dispatch_uid="lessons.start_idle_clock")
