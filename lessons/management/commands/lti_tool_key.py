from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lessons.lti_jwt import tool_key_create
from lessons.models import LtiToolKey


class Command(BaseCommand):
    help = (
        "Make the LTI tool's signing key if it has none, or with --rotate a new one that signs from now on "
        "(the old ones stay in the JWKS; --retire KID takes one out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Make a new signing key.")
        parser.add_argument("--retire", metavar="KID", help="Stop publishing this old key.")

    def handle(self, *args: Any, rotate: bool = False, retire: str | None = None, **options: Any) -> None:
        if retire:
            count = LtiToolKey.objects.filter(kid=retire, active=False).update(published=False)
            self.stdout.write(f"Retired {count} key{'s' if count != 1 else ''}.")
            return
        key = LtiToolKey.objects.filter(active=True).first()
        if key is None or rotate:
            key = tool_key_create()
            self.stdout.write(f"New signing key: {key.kid}")
        else:
            self.stdout.write(f"Signing key: {key.kid}")
