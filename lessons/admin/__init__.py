"""The Django admin for lessons: content (sources, actors, treaties, articles, claims), quiz (lessons,
questions with their keys, read-only revisions) and people (teachers' standing). Importing the modules
registers their admins."""

from . import content, people, quiz

__all__ = ["content", "people", "quiz"]
