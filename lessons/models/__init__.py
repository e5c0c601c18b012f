"""The lessons domain. Dependency direction: content → quiz → classroom → attempts.

Each module holds one part of the domain; import models from here.
"""

from .attempts import Attempt, AttemptState, Regrade, RegradeChange, Response, ReviewItem
from .choices import (
    ActorKind,
    Focus,
    LessonStatus,
    Level,
    OptionGroup,
    Ratification,
    SourceKind,
    Standing,
    TreatyKind,
    TreatyStatus,
    Visibility,
)
from .classroom import TEACHERS_GROUP, Assignment, Classroom, Enrollment, FeedbackRelease, LatePolicy
from .content import Actor, Article, Claim, ClaimSource, Sentence, Source, Treaty, TreatyParty
from .people import ApiToken, Preferences, TeacherProfile, TemporaryPassword
from .quiz import (
    AnswerKey,
    ImmutableRevisionError,
    Lesson,
    Option,
    Question,
    Revision,
    RubricCriterion,
)

__all__ = [
    "TEACHERS_GROUP",
    "Actor",
    "ActorKind",
    "AnswerKey",
    "ApiToken",
    "Article",
    "Assignment",
    "Attempt",
    "AttemptState",
    "Claim",
    "ClaimSource",
    "Classroom",
    "Enrollment",
    "FeedbackRelease",
    "Focus",
    "ImmutableRevisionError",
    "LatePolicy",
    "Lesson",
    "LessonStatus",
    "Level",
    "Option",
    "OptionGroup",
    "Preferences",
    "Question",
    "Ratification",
    "Regrade",
    "RegradeChange",
    "Response",
    "ReviewItem",
    "Revision",
    "RubricCriterion",
    "Sentence",
    "Source",
    "SourceKind",
    "Standing",
    "TeacherProfile",
    "TemporaryPassword",
    "Treaty",
    "TreatyKind",
    "TreatyParty",
    "TreatyStatus",
    "Visibility",
]
