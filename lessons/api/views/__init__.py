"""The API's views: learner side (catalogue, lessons, self-study, review, progress) and student side
(classes, assignments, attempts)."""
