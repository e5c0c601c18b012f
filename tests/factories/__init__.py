"""Builders of test data, made through the services the site itself uses.

- lessons: lesson documents, and `load_lesson`, which imports a document once a run and copies it after;
- people: learners, students and teachers;
- classroom: classes (with their students), enrollments and assignments;
- attempts: self-study and assignment attempts, and their responses.
"""
