"""The Django admin for lessons: content (sources, actors, treaties, articles, claims), quiz (lessons,
questions with their keys, read-only revisions), people (teachers' standing) and LTI (platforms, tool keys,
scores to send). Importing the modules registers their admins."""

from . import content, lti, people, quiz

__all__ = ["content", "lti", "people", "quiz"]
