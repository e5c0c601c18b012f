"""The lessons domain. Dependency direction: content → quiz → attempts.

Each module holds one part of the domain; import models from here.
"""

from .attempts import Attempt, AttemptState, Response, ReviewItem
from .choices import (
    ActorKind,
    Focus,
    LessonStatus,
    Level,
    OptionGroup,
    QuestionKind,
    Ratification,
    SourceKind,
    Standing,
    TreatyKind,
    TreatyStatus,
    Visibility,
)
from .content import Actor, Article, Claim, ClaimSource, Sentence, Source, Treaty, TreatyParty
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
    "Actor",
    "ActorKind",
    "AnswerKey",
    "Article",
    "Attempt",
    "AttemptState",
    "Claim",
    "ClaimSource",
    "Focus",
    "ImmutableRevisionError",
    "Lesson",
    "LessonStatus",
    "Level",
    "Option",
    "OptionGroup",
    "Question",
    "QuestionKind",
    "Ratification",
    "Response",
    "ReviewItem",
    "Revision",
    "RubricCriterion",
    "Sentence",
    "Source",
    "SourceKind",
    "Standing",
    "Treaty",
    "TreatyKind",
    "TreatyParty",
    "TreatyStatus",
    "Visibility",
]
