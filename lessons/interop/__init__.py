"""Lessons in and out of other tools: GIFT, Moodle XML and IMS QTI 2.1 and 3.0.

Each format module reads a file into portable questions (``lessons.kinds.portable``) and writes portable
questions back out; ``documents`` turns portable questions into a lesson document and a lesson document
into portable questions, asking each question's kind for its mapping; ``report`` says, question by
question, what could not be carried or was simplified. Nothing here names a question kind, and nothing
here touches the database: ``lessons.services.interop`` imports and exports through the lesson services.
"""
