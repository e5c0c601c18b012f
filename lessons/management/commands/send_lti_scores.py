from typing import Any

from django.core.management.base import BaseCommand

from lessons.services.lti_scores import score_posts_send


class Command(BaseCommand):
    help = (
        "Send the LTI scores waiting in the outbox whose next try is due (run it from cron every minute); "
        "a failed one is tried again later, with backoff."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = score_posts_send()
        self.stdout.write(
            f"Scores sent: {report.sent}; failed, to retry: {report.failed}; given up: {report.given_up}."
        )
