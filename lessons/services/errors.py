"""Errors the service layer raises for a caller to turn into a 4xx; each carries a message for the user."""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidAnswer(ServiceError):
    """The answer does not fit the question (unknown question or option, wrong shape): 400."""

    status = 400


class AttemptClosed(ServiceError):
    """The attempt was submitted or its deadline passed: nothing more can be saved (409)."""

    status = 409


class LessonCorrected(ServiceError):
    """The answer was given on a page of a revision the attempt has since left for a corrected one (409)."""

    status = 409


class AnswerLocked(ServiceError):
    """The feedback for this question was shown, so its answer is final (409)."""

    status = 409


class InvalidInput(ServiceError):
    """A form or request field that cannot be accepted (400); `field` names it."""

    status = 400


class NotAllowed(ServiceError):
    """The user may not do this here. Views answer 404 where a 403 would reveal that the thing exists."""

    status = 404


class HeldForAssignment(ServiceError):
    """The lesson is assigned to this student and its results are not released: practising it on their own
    would show its keys too early (409)."""

    status = 409


class NotVerified(ServiceError):
    """Allowed to verified teachers only (DESIGN.md rule 12): shared material, accounts in bulk (403)."""

    status = 403
