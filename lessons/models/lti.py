"""LTI 1.3: the learning platforms (LMSs) registered by a site administrator, the tool's own signing keys, the
one-time login states of launches, and how the platform's courses, people, links and grade columns map to
our classes, users, assignments and scores.

Depends on classroom and attempts (an LMS course is a class, a link is an assignment, a grade is an attempt's
score); nothing in them depends on this module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .attempts import Attempt
from .classroom import Assignment, Classroom
from .quiz import Lesson


class LtiPlatform(models.Model):
    """An LMS that launches the site (Moodle, Canvas, Brightspace…), as its administrator registered the tool
    there: what the platform calls itself (issuer), what it calls us (client id) and where its keys and
    endpoints are."""

    name = models.CharField(_("name"), max_length=120)
    issuer = models.CharField(_("issuer"), max_length=255, help_text=_("The platform's `iss`, an https URL."))
    client_id = models.CharField(_("client id"), max_length=255, help_text=_("What the platform calls us."))
    deployment_ids = models.TextField(
        _("deployment ids"),
        help_text=_("One per line: the deployments of the tool this platform may launch."),
    )
    jwks_url = models.URLField(_("platform JWKS URL"), max_length=500)
    auth_login_url = models.URLField(_("authentication request URL"), max_length=500)
    token_url = models.URLField(_("access token URL"), max_length=500)
    audience = models.CharField(
        _("token audience"),
        max_length=500,
        blank=True,
        help_text=_("The `aud` of our token requests, when the platform wants one other than its token URL."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("LTI platform")
        verbose_name_plural = _("LTI platforms")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_issuer_client_once"),
            models.CheckConstraint(condition=~Q(issuer="") & ~Q(client_id=""), name="lti_platform_ids_given"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"

    @property
    def deployments(self) -> list[str]:
        return [line.strip() for line in self.deployment_ids.splitlines() if line.strip()]

    @property
    def token_audience(self) -> str:
        return self.audience or self.token_url


class LtiToolKey(models.Model):
    """One of the tool's RSA key pairs. The newest active one signs; every published one stays in the JWKS,
    so a platform holding a token signed with the previous key can still check it after a rotation. The
    private key is kept encrypted with a key derived from SECRET_KEY and never shown."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key (JWK)"))
    private_key_encrypted = models.TextField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    active = models.BooleanField(_("signs new messages"), default=True)
    published = models.BooleanField(_("published in the JWKS"), default=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("LTI tool key")
        verbose_name_plural = _("LTI tool keys")

    def __str__(self) -> str:
        return self.kid


class LtiLoginState(models.Model):
    """The `state` and `nonce` of one OIDC login initiation, each good for one launch within a few minutes:
    a second launch with them (a replay) finds `used_at` set and is refused."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LTI login state")
        verbose_name_plural = _("LTI login states")
        indexes = [models.Index(fields=["expires_at"], name="lti_login_state_expiry")]

    def __str__(self) -> str:
        return self.state


class LtiUser(models.Model):
    """A person of a platform (its issuer and their `sub`) and their account here."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="users")
    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities"
    )

    class Meta:
        verbose_name = _("LTI user")
        verbose_name_plural = _("LTI users")
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="lti_user_once_per_issuer")]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.sub}"


class LtiContext(models.Model):
    """A course of a platform and the class that stands for it here, with the platform's roster URL (NRPS)."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="lti_context")
    memberships_url = models.URLField(max_length=500, blank=True)
    lineitems_url = models.URLField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("LTI course")
        verbose_name_plural = _("LTI courses")
        constraints = [
            models.UniqueConstraint(fields=["platform", "context_id"], name="lti_context_once_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.context_id} → {self.classroom_id}"


class LtiResourceLink(models.Model):
    """A link placed in a course, the assignment it opens (none until a teacher picks a lesson, or until its
    first launch creates one for the lesson chosen by deep linking)."""

    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE, related_name="links")
    resource_link_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="lti_link"
    )
    # The platform's grade column for this link (the launch's AGS `lineitem`), for its assignment.
    lineitem_url = models.URLField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("LTI resource link")
        verbose_name_plural = _("LTI resource links")
        constraints = [
            models.UniqueConstraint(fields=["context", "resource_link_id"], name="lti_link_once_per_context")
        ]

    def __str__(self) -> str:
        return self.resource_link_id


class LtiLineItem(models.Model):
    """The platform's grade column of an assignment (Assignment and Grade Services)."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="+")
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="lti_line_item")
    url = models.URLField(max_length=500)

    class Meta:
        verbose_name = _("LTI line item")
        verbose_name_plural = _("LTI line items")

    def __str__(self) -> str:
        return self.url


class LtiScorePost(models.Model):
    """An attempt's score to send to its platform (an outbox): written in the transaction that changed the
    score, sent after it commits, and retried with backoff (`send_lti_scores`) while the platform is down.
    What is sent is the attempt's score as it is when sent."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    line_item = models.ForeignKey(LtiLineItem, on_delete=models.CASCADE, related_name="score_posts")
    lti_user = models.ForeignKey(LtiUser, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    next_try_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("LTI score post")
        verbose_name_plural = _("LTI score posts")
        indexes = [models.Index(fields=["delivered_at", "next_try_at"], name="lti_score_post_due")]

    def __str__(self) -> str:
        return f"{self.attempt_id} → {self.line_item_id}"
