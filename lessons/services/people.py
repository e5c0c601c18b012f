"""A person's own account matters: the time zone their dates and times are shown in, whether their
password is still the one-time password a teacher was shown, and whether they are a verified teacher."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Preferences, TeacherProfile, TemporaryPassword

from .classroom import teacher_is_verified, teacher_make
from .errors import InvalidInput, NotAllowed

# The session carries the chosen zone, so showing a page in it costs no query (see web.middleware).
SESSION_TIME_ZONE = "time_zone"
# Set at login while the user's password is a one-time one; see web.middleware.TemporaryPasswordMiddleware.
SESSION_TEMPORARY_PASSWORD = "temporary_password"  # noqa: S105 -- a session key, not a secret
# The time of the session's last request, and whether it is a teacher's; see web.middleware.IdleTeacherLogout.
SESSION_LAST_SEEN = "last_seen"
SESSION_TEACHING = "teaching"


# Files of the system's zone database that are not places: "Factory" (a zone whose abbreviation says it is
# unset), "localtime" (the server's own zone, whatever it is) and "posixrules" (a template for POSIX strings).
NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})


@cache
def known_time_zones() -> frozenset[str]:
    """The IANA zones a person may choose: the zone database's names, without the files that are no place."""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in NOT_PLACES and not name.startswith(("posix/", "right/"))
    )


def preferences_set_time_zone(*, user: User, time_zone: str) -> Preferences:
    """Show the user's dates and times in `time_zone` (an IANA name); InvalidInput for an unknown one."""
    if time_zone not in known_time_zones():
        raise InvalidInput(_("Unknown time zone. Choose one from the list."), field="time_zone")
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    return preferences


def time_zone_of(user: User) -> str | None:
    """The zone the user chose, or None for the site's."""
    return Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()


def has_temporary_password(user: User) -> bool:
    """Whether the user's password is still the one a teacher was shown when the account was made."""
    return TemporaryPassword.objects.filter(user=user).exists()


def temporary_password_expired(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether the user's password is a one-time one issued longer ago than ONE_TIME_PASSWORD_MAX_AGE: it
    no longer logs them in (their teacher gives them a new one)."""
    cutoff = (now or timezone.now()) - settings.ONE_TIME_PASSWORD_MAX_AGE
    return TemporaryPassword.objects.filter(user=user, issued_at__lt=cutoff).exists()


def password_chosen(*, user: User) -> None:
    """The user set a password of their own: a one-time password no longer holds them."""
    TemporaryPassword.objects.filter(user=user).delete()


@transaction.atomic
def account_sign_up(*, username: str, email: str, password: str, teaches: bool) -> User:
    """A new account, a teacher's when `teaches`, made whole or not at all.

    The sign-up form has already refused a username taken and a password AUTH_PASSWORD_VALIDATORS reject.
    """
    user = User.objects.create_user(username=username, email=email, password=password)
    if teaches:
        teacher_make(user=user)
    return user


# ----------------------------------------------------------------------------------------------------
# Verified teachers (DESIGN.md rule 12)

TEACHER_INVITATION_SALT = "lessons.teacher-invitation"
TEACHER_INVITATION_LIFETIME = dt.timedelta(days=7)


def teacher_school_set(*, teacher: User, school: str) -> TeacherProfile:
    """The school a teacher says they teach at; the school of a verified teacher's invitations."""
    profile, _created = TeacherProfile.objects.get_or_create(user=teacher)
    profile.school = " ".join(school.split())[:200]
    profile.save(update_fields=["school"])
    return profile


@transaction.atomic
def teacher_verify(
    *, teacher: User, by: User | None, school: str | None = None, now: dt.datetime | None = None
) -> TeacherProfile:
    """Verify `teacher` (making them a teacher if they are not one yet). `by` is a superuser, or None for the
    site's own commands (the demo data); anyone else is refused: colleagues verify by invitation."""
    if by is not None and not by.is_superuser:
        raise NotAllowed(_("Only a site administrator verifies teachers."))
    teacher_make(user=teacher)
    profile, _created = TeacherProfile.objects.select_for_update().get_or_create(user=teacher)
    if profile.verified_at is None:
        profile.verified_at = now or timezone.now()
        profile.verified_by = by
    if school is not None:
        profile.school = " ".join(school.split())[:200]
    profile.save()
    return profile


def teacher_invitation_make(*, by: User) -> str:
    """A signed token inviting a colleague to the inviter's school as a verified teacher; it expires after
    TEACHER_INVITATION_LIFETIME. Only a verified teacher invites."""
    if by.is_superuser or not teacher_is_verified(by):
        # A superuser verifies in the admin; an invitation vouches for a school, which a superuser has not.
        raise NotAllowed(_("Only a verified teacher invites colleagues."))
    school = TeacherProfile.objects.filter(user=by).values_list("school", flat=True).first() or ""
    return signing.dumps({"by": by.pk, "school": school}, salt=TEACHER_INVITATION_SALT, compress=True)


@transaction.atomic
def teacher_invitation_accept(*, user: User, token: str, now: dt.datetime | None = None) -> TeacherProfile:
    """`user` follows a colleague's invitation: they become a teacher of the inviter's school, verified by
    the inviter. Refused when the link is altered or expired, the inviter is no longer a verified teacher,
    or the inviter invites themselves."""
    try:
        payload = signing.loads(token, salt=TEACHER_INVITATION_SALT, max_age=TEACHER_INVITATION_LIFETIME)
    except signing.SignatureExpired:
        raise InvalidInput(_("This invitation has expired. Ask your colleague for a new link.")) from None
    except signing.BadSignature:
        raise InvalidInput(_("This invitation link is not valid.")) from None
    inviter = User.objects.filter(pk=payload.get("by"), is_active=True).first()
    if inviter is None or inviter.pk == user.pk or not teacher_is_verified(inviter):
        raise NotAllowed(_("This invitation is no longer valid. Ask your colleague for a new link."))
    teacher_make(user=user)
    profile, _created = TeacherProfile.objects.select_for_update().get_or_create(user=user)
    profile.school = str(payload.get("school", ""))[:200]
    if profile.verified_at is None:
        profile.verified_at = now or timezone.now()
        profile.verified_by = inviter
    profile.save()
    return profile
