"""LTI 1.3 Advantage: an LMS launches the site from a course.

The flow (IMS LTI 1.3 and Security Framework 1.0):
1. `lti_login_start` — the platform's OIDC login initiation: a one-time `state` and `nonce` are stored
   (LtiLoginState) and the browser is sent to the platform's authentication endpoint.
2. `lti_launch` — the platform posts back a signed id_token. It is checked (signature against the platform's
   JWKS, issuer, audience, expiry, deployment, message type, version), then the state is consumed with its
   nonce (a replay finds it used), and only then is anything written: the user (teacher or student by LTI
   role), the class of the course, the resource link and its assignment, the grade column.
3. Deep linking: a teacher picks a lesson (`lti_deep_link_response` signs the answer); the link placed in
   the course makes an assignment of that lesson at its first launch.
4. Roster: `lti_roster_sync` reads the course's members (Names and Role Provisioning) and enrolls students.
Scores go back through `lti_scores`.

Every refusal is an LtiRefused (a 4xx with a message) raised before anything is written, or inside the
transaction that would write, so a refused launch changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import jwt
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons import lti_jwt
from lessons.lti_jwt import PlatformUnreachable
from lessons.models import (
    Assignment,
    Classroom,
    Enrollment,
    Lesson,
    LtiContext,
    LtiLineItem,
    LtiLoginState,
    LtiPlatform,
    LtiResourceLink,
    LtiUser,
)
from lessons.selectors import assignable_lessons

from . import locks
from .attempts import all_points
from .classroom import (
    assignment_create,
    classroom_check_changeable,
    classroom_create,
    is_teacher,
    teacher_make,
)
from .errors import ServiceError
from .lti_scores import SCOPE_MEMBERSHIPS, access_token

LTI_VERSION = "1.3.0"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
CLAIM_DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CLAIM_AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CLAIM_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
NRPS_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LOGIN_STATE_LIFETIME = dt.timedelta(minutes=10)
# How long an assignment made from a link stays open; the teacher changes its dates on its page.
LINKED_ASSIGNMENT_OPEN_FOR = dt.timedelta(days=365)
MAX_ROSTER_PAGES = 50

# Roles that teach here: the course's instructors and administrators, and the institution's or system's
# administrators (role URIs end in #Instructor, #Administrator…; a short "Instructor" is accepted too).
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant", "Faculty")
LEARNING_ROLES = ("Learner", "Student")


class LtiRefused(ServiceError):
    """A launch or message that is not accepted (403 for a security check, 400 for a malformed one)."""

    status: ClassVar[int] = 403


class LtiMalformed(LtiRefused):
    status: ClassVar[int] = 400


class LtiNotReady(LtiRefused):
    """The launch is valid but its course or link is not set up by a teacher yet (409)."""

    status: ClassVar[int] = 409


class LtiPlatformDown(LtiRefused):
    """The platform's keys or services could not be reached (502)."""

    status: ClassVar[int] = 502


def _role_names(roles: Any) -> list[str]:
    if not isinstance(roles, list):
        return []
    return [re.split(r"[#/]", str(role))[-1] for role in roles]


def roles_teach(roles: Any) -> bool:
    return any(name in TEACHING_ROLES for name in _role_names(roles))


def roles_learn(roles: Any) -> bool:
    return any(name in LEARNING_ROLES for name in _role_names(roles))


# ----------------------------------------------------------------------------------------------------
# 1. Login initiation


@dataclass(frozen=True)
class LoginStart:
    redirect_url: str
    state: str


def lti_login_start(
    *,
    issuer: str,
    login_hint: str,
    target_link_uri: str,
    redirect_uri: str,
    client_id: str = "",
    lti_message_hint: str = "",
    now: dt.datetime | None = None,
) -> LoginStart:
    """A one-time state and nonce for a launch from the platform `issuer`, and where to send the browser."""
    if not issuer or not login_hint or not target_link_uri:
        raise LtiMalformed(_("The login request lacks its issuer, login hint or target link."))
    platforms = LtiPlatform.objects.filter(issuer=issuer, active=True)
    if client_id:
        platforms = platforms.filter(client_id=client_id)
    found = list(platforms[:2])
    if len(found) != 1:
        raise LtiRefused(_("This learning platform is not registered here. Ask the site administrator."))
    platform = found[0]
    now = now or timezone.now()
    # States long expired are of no use, even against a replay (its token has expired too).
    LtiLoginState.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    state = LtiLoginState.objects.create(
        platform=platform,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + LOGIN_STATE_LIFETIME,
    )
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": login_hint,
        "state": state.state,
        "nonce": state.nonce,
    }
    if lti_message_hint:
        params["lti_message_hint"] = lti_message_hint
    separator = "&" if "?" in platform.auth_login_url else "?"
    return LoginStart(
        redirect_url=platform.auth_login_url + separator + urllib.parse.urlencode(params), state=state.state
    )


# ----------------------------------------------------------------------------------------------------
# 2. Launch


@dataclass(frozen=True)
class Launch:
    platform: LtiPlatform
    user: User
    teaching: bool
    message_type: str
    deployment_id: str
    classroom: Classroom
    link: LtiResourceLink | None
    assignment: Assignment | None
    deep_linking: dict[str, Any] | None


def _platform_of(claims: dict[str, Any]) -> LtiPlatform:
    """The registered platform that sent these (unverified) claims for us: its issuer, and our client id
    as the audience (or as `azp` when the audience names several parties)."""
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if len(audiences) > 1:
        audiences = [claims["azp"]] if claims.get("azp") in audiences else []
    platform = LtiPlatform.objects.filter(
        issuer=str(claims.get("iss", "")), client_id__in=[str(a) for a in audiences], active=True
    ).first()
    if platform is None:
        raise LtiRefused(
            _("This launch is not addressed to this site by a registered platform (issuer or audience).")
        )
    return platform


def lti_verify_id_token(id_token: str) -> tuple[LtiPlatform, dict[str, Any]]:
    """The platform and claims of a launch's id_token once every check holds; LtiRefused else. Reads only."""
    try:
        header, unverified = lti_jwt.unverified(id_token)
    except jwt.PyJWTError:
        raise LtiMalformed(_("The launch token is not a valid JWT.")) from None
    platform = _platform_of(unverified)
    if header.get("alg") != lti_jwt.ALGORITHM:
        raise LtiRefused(_("The launch token is not signed with RS256."))
    try:
        key = lti_jwt.platform_key(platform.jwks_url, header.get("kid"))
    except PlatformUnreachable:
        raise LtiPlatformDown(
            _("The platform's keys could not be fetched; please try the launch again.")
        ) from None
    if key is None:
        raise LtiRefused(_("The launch token is signed with a key the platform does not publish."))
    try:
        claims = lti_jwt.verify(id_token, key=key, audience=platform.client_id, issuer=platform.issuer)
    except jwt.ExpiredSignatureError:
        raise LtiRefused(_("The launch token has expired. Launch again from the course.")) from None
    except jwt.InvalidAudienceError:
        raise LtiRefused(_("The launch token is addressed to another tool.")) from None
    except jwt.InvalidSignatureError:
        raise LtiRefused(_("The launch token's signature is not valid.")) from None
    except jwt.PyJWTError as error:
        raise LtiRefused(
            _("The launch token is not valid: %(reason)s") % {"reason": str(error)[:120]}
        ) from None
    if claims.get(CLAIM + "version") != LTI_VERSION:
        raise LtiMalformed(_("Only LTI version 1.3.0 launches are accepted."))
    if claims.get(CLAIM + "message_type") not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        raise LtiMalformed(_("This kind of LTI message is not supported."))
    if claims.get(CLAIM + "deployment_id") not in platform.deployments:
        raise LtiRefused(_("This deployment of the tool is not registered for the platform."))
    if not claims.get("sub"):
        raise LtiMalformed(_("The launch does not say who is launching (no sub)."))
    if not isinstance(claims.get(CLAIM + "context"), dict) or not claims[CLAIM + "context"].get("id"):
        raise LtiMalformed(_("The launch does not come from a course (no context)."))
    return platform, claims


def lti_launch(
    *, id_token: str, state: str, browser_state: str | None, now: dt.datetime | None = None
) -> Launch:
    """Accept a platform's launch: verify it, consume its state and nonce, then sign-in data and the class,
    link and assignment it opens. `browser_state` is the state cookie set at login: a launch posted from
    another browser than the one that started the login is refused."""
    if not id_token or not state:
        raise LtiMalformed(_("The launch lacks its id_token or state."))
    if not browser_state or not secrets.compare_digest(browser_state, state):
        raise LtiRefused(
            _("This launch did not start in this browser (no state cookie). Launch again from the course.")
        )
    platform, claims = lti_verify_id_token(id_token)
    now = now or timezone.now()
    with transaction.atomic():
        consumed = LtiLoginState.objects.filter(
            platform=platform,
            state=state,
            nonce=str(claims["nonce"]),
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)
        if consumed != 1:
            raise LtiRefused(_("This launch was already used or has expired (replayed nonce). Launch again."))
        return _provision(platform, claims, now=now)


T = TypeVar("T")


def _create_or_find(create: Callable[[], T], find: Callable[[], T | None]) -> T:
    """Create a record, or take the one a simultaneous launch made first: two first launches at once (two
    tabs, a double click) both find nothing; the unique constraint lets one create it, and the other finds it
    once the first commits."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found


def _account(platform: LtiPlatform, claims: dict[str, Any], *, teaching: bool) -> User:
    def find() -> LtiUser | None:
        return (
            LtiUser.objects.select_related("user").filter(issuer=platform.issuer, sub=claims["sub"]).first()
        )

    def create() -> LtiUser:
        digest = hashlib.sha256(f"{platform.issuer}|{claims['sub']}".encode()).hexdigest()[:16]
        user = User(
            username=f"lti-{digest}",
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
            email=str(claims.get("email", ""))[:254],
        )
        user.set_unusable_password()
        user.save()
        return LtiUser.objects.create(platform=platform, issuer=platform.issuer, sub=claims["sub"], user=user)

    identity = find() or _create_or_find(create, find)
    user = identity.user
    if not user.is_active:
        raise LtiRefused(_("This account is switched off here."))
    if teaching and not is_teacher(user):
        teacher_make(user=user)
    return user


def _claim_dict(claims: dict[str, Any], name: str) -> dict[str, Any]:
    found = claims.get(name)
    return found if isinstance(found, dict) else {}


def _provision(platform: LtiPlatform, claims: dict[str, Any], *, now: dt.datetime) -> Launch:
    roles = claims.get(CLAIM + "roles")
    teaching = roles_teach(roles)
    if not teaching and not roles_learn(roles):
        raise LtiRefused(_("Your role in this course is neither teaching nor learning."))
    message_type = claims[CLAIM + "message_type"]
    if message_type == DEEP_LINKING_REQUEST and not teaching:
        raise LtiRefused(_("Only a course's teachers choose lessons for it."))
    user = _account(platform, claims, teaching=teaching)
    course = claims[CLAIM + "context"]

    def find_context() -> LtiContext | None:
        return (
            LtiContext.objects.select_related("classroom")
            .filter(platform=platform, context_id=str(course["id"]))
            .first()
        )

    def create_context() -> LtiContext:
        name = str(course.get("title") or course.get("label") or _("Course"))[:120]
        return LtiContext.objects.create(
            platform=platform,
            context_id=str(course["id"]),
            title=str(course.get("title", ""))[:255],
            classroom=classroom_create(teacher=user, name=name),
        )

    context = find_context()
    if context is None:
        if not teaching:
            raise LtiNotReady(_("Your teacher has not opened this course here yet. Try again later."))
        context = _create_or_find(create_context, find_context)
    classroom = context.classroom
    # The class's lock orders two first launches of one link (one assignment made, the other finds it).
    locks.classrooms_for_update().filter(pk=classroom.pk).first()
    if teaching:
        classroom.teachers.add(user)
    else:
        Enrollment.objects.get_or_create(classroom=classroom, student=user)
    nrps = _claim_dict(claims, CLAIM_NRPS)
    ags = _claim_dict(claims, CLAIM_AGS)
    memberships_url = str(nrps.get("context_memberships_url", ""))[:500]
    lineitems_url = str(ags.get("lineitems", ""))[:500]
    if (memberships_url, lineitems_url) != (context.memberships_url, context.lineitems_url):
        context.memberships_url, context.lineitems_url = memberships_url, lineitems_url
        context.save(update_fields=["memberships_url", "lineitems_url"])
    deployment_id = str(claims[CLAIM + "deployment_id"])
    if message_type == DEEP_LINKING_REQUEST:
        settings = claims.get(CLAIM_DEEP_LINKING)
        if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
            raise LtiMalformed(_("The deep linking request has no return URL."))
        return Launch(platform, user, True, message_type, deployment_id, classroom, None, None, settings)
    link_claim = claims.get(CLAIM + "resource_link")
    if not isinstance(link_claim, dict) or not link_claim.get("id"):
        raise LtiMalformed(_("The launch has no resource link."))
    link, _created = LtiResourceLink.objects.get_or_create(
        context=context, resource_link_id=str(link_claim["id"])[:255]
    )
    changed = []
    if link.title != str(link_claim.get("title", ""))[:255]:
        link.title = str(link_claim.get("title", ""))[:255]
        changed.append("title")
    if ags.get("lineitem") and link.lineitem_url != str(ags["lineitem"])[:500]:
        link.lineitem_url = str(ags["lineitem"])[:500]
        changed.append("lineitem_url")
    custom = _claim_dict(claims, CLAIM + "custom")
    if link.lesson_id is None and custom.get("lesson"):
        link.lesson = Lesson.objects.filter(slug=str(custom["lesson"])[:100]).first()
        changed.append("lesson")
    if changed:
        link.save(update_fields=changed)
    assignment = link.assignment
    if assignment is None and link.lesson is not None:
        assignment = _link_assignment(link, link.lesson, by=user if teaching else None, now=now)
    if assignment is None and not teaching:
        raise LtiNotReady(_("Your teacher has not chosen a lesson for this link yet. Try again later."))
    if assignment is not None:
        _line_item_for(platform, link, assignment)
    return Launch(platform, user, teaching, message_type, deployment_id, classroom, link, assignment, None)


def _link_assignment(
    link: LtiResourceLink, lesson: Lesson, *, by: User | None, now: dt.datetime
) -> Assignment:
    """An assignment of `lesson` to the link's class, given by `by` or else by the class's first teacher."""
    classroom = link.context.classroom
    giver = by or classroom.teachers.order_by("pk").first()
    if giver is None:
        raise LtiNotReady(_("This course has no teacher here yet."))
    try:
        assignment = assignment_create(
            classroom=classroom,
            lesson=lesson,
            by=giver,
            opens_at=now,
            due_at=now + LINKED_ASSIGNMENT_OPEN_FOR,
        )
    except ServiceError as error:
        raise LtiNotReady(error.message) from None
    link.assignment = assignment
    link.save(update_fields=["assignment"])
    return assignment


def _line_item_for(platform: LtiPlatform, link: LtiResourceLink, assignment: Assignment) -> None:
    if link.lineitem_url:
        LtiLineItem.objects.get_or_create(
            assignment=assignment, defaults={"platform": platform, "url": link.lineitem_url}
        )


@transaction.atomic
def lti_link_choose_lesson(
    *, link: LtiResourceLink, lesson: Lesson, teacher: User, now: dt.datetime | None = None
) -> Assignment:
    """A teacher picks the lesson a new link opens: an assignment of it to the course's class. Locks the
    class first, as a launch does, so a launch of the same link waits and then finds the assignment."""
    classroom_check_changeable(classroom=link.context.classroom, teacher=teacher)
    locks.classrooms_for_update().filter(pk=link.context.classroom_id).first()
    locked = LtiResourceLink.objects.select_related("context__classroom", "context__platform").get(pk=link.pk)
    if locked.assignment is not None:
        return locked.assignment
    if not assignable_lessons(teacher).filter(pk=lesson.pk).exists():
        raise LtiRefused(_("This lesson is not shared with you."))
    locked.lesson = lesson
    locked.save(update_fields=["lesson"])
    assignment = _link_assignment(locked, lesson, by=teacher, now=now or timezone.now())
    _line_item_for(locked.context.platform, locked, assignment)
    return assignment


# ----------------------------------------------------------------------------------------------------
# 3. Deep linking


@dataclass(frozen=True)
class DeepLinkAnswer:
    return_url: str
    jwt: str


def lti_deep_link_response(
    *,
    platform: LtiPlatform,
    deployment_id: str,
    settings: dict[str, Any],
    lesson: Lesson,
    teacher: User,
    launch_url: str,
) -> DeepLinkAnswer:
    """The signed answer to a deep linking request: one LTI resource link to `lesson`, with a grade column
    out of its points. Its first launch makes the assignment (`custom.lesson`)."""
    if not assignable_lessons(teacher).filter(pk=lesson.pk).exists():
        raise LtiRefused(_("This lesson is not shared with you."))
    accepted = settings.get("accept_types") or ["ltiResourceLink"]
    if "ltiResourceLink" not in accepted:
        raise LtiRefused(_("The platform does not accept links to activities here."))
    revision = lesson.published_revision
    points = float(all_points(revision)) if revision is not None else 0.0
    item: dict[str, Any] = {
        "type": "ltiResourceLink",
        "title": lesson.title,
        "url": launch_url,
        "custom": {"lesson": lesson.slug},
        "lineItem": {"scoreMaximum": points, "label": lesson.title, "resourceId": lesson.slug},
    }
    issued = lti_jwt.now_seconds()
    claims: dict[str, Any] = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "iat": issued,
        "exp": issued + 600,
        "nonce": secrets.token_urlsafe(16),
        CLAIM + "deployment_id": deployment_id,
        CLAIM + "message_type": DEEP_LINKING_RESPONSE,
        CLAIM + "version": LTI_VERSION,
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [item],
    }
    if settings.get("data"):
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings["data"]
    return DeepLinkAnswer(return_url=str(settings["deep_link_return_url"]), jwt=lti_jwt.sign(claims))


# ----------------------------------------------------------------------------------------------------
# 4. Roster (Names and Role Provisioning)


@dataclass(frozen=True)
class RosterSync:
    added: int
    already: int


def _members(platform: LtiPlatform, url: str) -> list[dict[str, Any]]:
    token = access_token(platform, (SCOPE_MEMBERSHIPS,))
    members: list[dict[str, Any]] = []
    next_url: str | None = url
    for _page in range(MAX_ROSTER_PAGES):
        if not next_url:
            break
        answer = lti_jwt.http(
            "GET", next_url, headers={"Authorization": f"Bearer {token}", "Accept": NRPS_MEDIA_TYPE}
        )
        body = answer.json()
        members += (
            [m for m in (body.get("members") or []) if isinstance(m, dict)] if isinstance(body, dict) else []
        )
        link = answer.headers.get("Link", "") or answer.headers.get("link", "")
        found = re.search(r'<([^>]+)>\s*;\s*rel="next"', link)
        next_url = found.group(1) if found else None
    return members


def lti_roster_sync(*, classroom: Classroom, teacher: User) -> RosterSync:
    """Enroll the course's active learners (from the platform's membership service) in its class, making
    their accounts as a launch would. Only a teacher of the class; the platform is asked before anything
    is written."""
    classroom_check_changeable(classroom=classroom, teacher=teacher)
    context = LtiContext.objects.select_related("platform").filter(classroom=classroom).first()
    if context is None or not context.memberships_url:
        raise LtiNotReady(_("This class has no course roster to read: launch it from the course first."))
    try:
        members = _members(context.platform, context.memberships_url)
    except PlatformUnreachable:
        raise LtiPlatformDown(_("The course's platform did not answer. Try again later.")) from None
    learners = [
        m
        for m in members
        if m.get("user_id") and roles_learn(m.get("roles")) and m.get("status", "Active") == "Active"
    ]
    added = already = 0
    with transaction.atomic():
        locks.classrooms_for_update().filter(pk=classroom.pk).first()
        for member in learners:
            user = _account(context.platform, {"sub": str(member["user_id"]), **member}, teaching=False)
            _enrollment, created = Enrollment.objects.get_or_create(classroom=classroom, student=user)
            added += created
            already += not created
    return RosterSync(added=added, already=already)
