from typing import Any

from django.core.management.base import BaseCommand

from lessons.services.classroom import close_expired_attempts


class Command(BaseCommand):
    help = "Submit, with what was saved, every attempt still open past its deadline (run it from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_expired_attempts()
        self.stdout.write(f"Submitted {closed} expired attempt{'s' if closed != 1 else ''}.")
