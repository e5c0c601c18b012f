"""The Django admin for lessons: content (sources, actors, treaties, articles, claims) and quiz (lessons,
questions with their keys, read-only revisions). Importing the modules registers their admins."""

from . import content, quiz

__all__ = ["content", "quiz"]
