"""Input and output shapes of the API.

Output serializers a student or learner reaches list only fields a student may see: the question
serializers take a `selectors.lessons.student_question` (no answer block exists there to pick from), and
key material appears only in `FeedbackSerializer`, which is filled from `selectors.feedback.Feedback` and used
only where the policy has released feedback.
"""

from __future__ import annotations

from rest_framework import serializers

from lessons.models import AidVisibility, FeedbackRelease, Focus, LatePolicy, Level

# ----------------------------------------------------------------------------------------------------
# Errors


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable: not_found, invalid, attempt_closed, …")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The path of each bad field (`answer`, `evidence[1]`) and its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# ----------------------------------------------------------------------------------------------------
# The account


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    is_teacher = serializers.BooleanField()
    token_name = serializers.CharField(allow_null=True, help_text="The token this request used, if any.")
    read_only = serializers.BooleanField(help_text="Whether this request may only read.")


# ----------------------------------------------------------------------------------------------------
# The catalogue and a lesson as a student sees it


class CatalogQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    focus = serializers.ChoiceField(choices=Focus.choices, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    page = serializers.IntegerField(required=False, min_value=1)


class LessonCardSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    level = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    focuses = serializers.ListField(
        child=serializers.CharField(), help_text="The focuses its questions cover."
    )
    status = serializers.CharField(
        allow_null=True, help_text="new, in_progress or scored for a signed-in learner; null otherwise."
    )
    best_percent = serializers.IntegerField(allow_null=True)


class CatalogPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = LessonCardSerializer(many=True)


class SentenceSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    headline = serializers.CharField()
    source = serializers.CharField()
    published_on = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_blank=True)
    paragraphs = serializers.ListField(child=SentenceSerializer(many=True))


class ActorSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    role = serializers.CharField(allow_blank=True)
    affiliation = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_blank=True)


class PartySerializer(serializers.Serializer):
    actor = serializers.CharField()
    ratification = serializers.CharField()
    ratified_on = serializers.CharField(allow_null=True)


class TreatySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    signed_on = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    parties = PartySerializer(many=True)


class SourceSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_blank=True)


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    group = serializers.CharField(required=False, help_text="Only for kinds whose options come in groups.")


class StudentQuestionSerializer(serializers.Serializer):
    """A question as a student sees it before answering: there is no field for its key."""

    id = serializers.CharField()
    kind = serializers.CharField()
    focus = serializers.CharField()
    prompt = serializers.CharField()
    points = serializers.IntegerField()
    actors = serializers.ListField(child=serializers.CharField())
    treaties = serializers.ListField(child=serializers.CharField())
    claims = serializers.ListField(child=serializers.CharField())
    options = OptionSerializer(many=True)
    items = OptionSerializer(many=True)
    evidence_part = serializers.IntegerField(help_text="Points for picking the supporting sentences too.")
    answering = serializers.DictField(
        help_text="What the question's kind adds for answering it (a unit, say); never part of its key."
    )


class LessonInfoSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    language = serializers.CharField(help_text="The language the lesson's content is written in.")
    introduction_html = serializers.CharField(help_text="The teacher's introduction, sanitised HTML.")
    sourcing_note_html = serializers.CharField(
        allow_blank=True,
        help_text="The sourcing note (a reading aid), sanitised HTML; empty until it is shown.",
    )
    objectives = serializers.ListField(child=serializers.CharField())
    level = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    reading_aids = serializers.DictField(
        child=serializers.ChoiceField(choices=AidVisibility.values),
        help_text=(
            "When each reading aid appears (sourcing_note, provenance, actor_cards, treaty_cards): from the "
            "start, once the questions that depend on it are answered, or after finishing. Until then the "
            "aid's cards, sources or note are left out of this lesson."
        ),
    )


class StudentLessonSerializer(serializers.Serializer):
    lesson = LessonInfoSerializer()
    article = ArticleSerializer()
    actors = ActorSerializer(many=True, help_text="The actor cards shown so far.")
    treaties = TreatySerializer(many=True, help_text="The treaty cards shown so far.")
    sources = SourceSerializer(
        many=True, help_text="The sources behind the article, once its provenance is shown."
    )
    questions = StudentQuestionSerializer(many=True)


# ----------------------------------------------------------------------------------------------------
# Answers and feedback


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.JSONField(
        help_text="The answer in its kind's shape: an option id, a list of ids, text, a number, a mapping."
    )
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        allow_null=True,
        max_length=200,
        help_text="Sentence ids, for a question with an evidence part.",
    )


class SaveInputSerializer(AnswerInputSerializer):
    sequence = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Increases with each change of this answer: a save not newer than the stored one is stale.",
    )


class RubricCriterionSerializer(serializers.Serializer):
    id = serializers.CharField()
    criterion = serializers.CharField()
    points = serializers.IntegerField()


class ResultSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["right", "partly", "wrong", "teacher"])
    earned = serializers.CharField(
        allow_blank=True, help_text="Points, as text; empty until a teacher grades."
    )
    possible = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    """Key material: filled only from `selectors.feedback` where the policy has released it."""

    correct = serializers.BooleanField()
    right_answer = serializers.ListField(child=serializers.CharField())
    explanation_html = serializers.CharField(allow_blank=True)
    chosen_feedback = serializers.ListField(child=serializers.CharField())
    evidence = serializers.ListField(child=serializers.CharField(), help_text="The evidence sentence ids.")
    model_answer_html = serializers.CharField(allow_blank=True)
    rubric = RubricCriterionSerializer(many=True)


class AnsweredSerializer(serializers.Serializer):
    result = ResultSerializer()
    your_answer = serializers.ListField(child=serializers.CharField())
    feedback = FeedbackSerializer()


class QuestionSlotSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question = StudentQuestionSerializer()
    answered = AnsweredSerializer(allow_null=True, help_text="Null until answered, or while not released.")


class SelfStudyAnswerSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    question = serializers.CharField()
    answered = AnsweredSerializer()


class SelfStudySerializer(serializers.Serializer):
    attempt = serializers.IntegerField(allow_null=True, help_text="Null until the first answer starts one.")
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    slots = QuestionSlotSerializer(many=True)


class FocusScoreSerializer(serializers.Serializer):
    focus = serializers.CharField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=2)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    questions = serializers.IntegerField()
    answered = serializers.IntegerField()


class SelfStudySummarySerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=2)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    by_focus = FocusScoreSerializer(many=True)


# ----------------------------------------------------------------------------------------------------
# The review queue and progress


class ReviewItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lesson = serializers.SlugField()
    due = serializers.DateTimeField()
    question = StudentQuestionSerializer()


class ReviewQueueSerializer(serializers.Serializer):
    due_count = serializers.IntegerField()
    next = ReviewItemSerializer(allow_null=True, help_text="The oldest item due now, or null.")


class ReviewAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    next_due = serializers.DateTimeField()
    answered = AnsweredSerializer()


class ScoreSerializer(serializers.Serializer):
    earned = serializers.DecimalField(max_digits=8, decimal_places=2)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.IntegerField()


class LessonProgressSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    attempts = serializers.IntegerField()
    last_score = ScoreSerializer(allow_null=True)
    best_score = ScoreSerializer(allow_null=True)
    answered = serializers.IntegerField()
    total_questions = serializers.IntegerField()
    in_progress = serializers.BooleanField()


class FocusProgressSerializer(serializers.Serializer):
    focus = serializers.CharField()
    answered = serializers.IntegerField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=2)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.IntegerField(allow_null=True)


class EntitySummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    answered = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    lessons = LessonProgressSerializer(many=True)
    focuses = FocusProgressSerializer(many=True)
    actors = EntitySummarySerializer(many=True)
    treaties = EntitySummarySerializer(many=True)


# ----------------------------------------------------------------------------------------------------
# Classes, assignments and attempts (a student's side)


class JoinInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class ClassroomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AttemptSerializer(serializers.Serializer):
    """An attempt's state. No score: that is in its results, once released."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["open", "submitted"])
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateTimeField(allow_null=True, help_text="By the server's clock.")
    is_late = serializers.BooleanField()
    auto_submitted = serializers.BooleanField()
    results_released = serializers.BooleanField()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    classroom = ClassroomSerializer()
    lesson = serializers.SlugField()
    title = serializers.CharField()
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    time_limit_minutes = serializers.IntegerField(allow_null=True)
    attempts_allowed = serializers.IntegerField()
    feedback_release = serializers.CharField()
    late_policy = serializers.CharField()
    status = serializers.ChoiceField(choices=["not_started", "in_progress", "submitted", "late", "results"])
    can = serializers.ChoiceField(
        choices=["start", "resume", ""], allow_blank=True, help_text="What the student can do now."
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why not, when `can` is empty.")
    attempts = AttemptSerializer(many=True)


class SavedAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.JSONField()
    evidence = serializers.ListField(child=serializers.CharField(), allow_null=True)
    sequence = serializers.IntegerField()
    saved_at = serializers.DateTimeField()


class AttemptDetailSerializer(serializers.Serializer):
    attempt = AttemptSerializer()
    assignment = serializers.IntegerField()
    seconds_left = serializers.IntegerField(allow_null=True, help_text="Until the deadline, by the server.")
    lesson = StudentLessonSerializer()
    slots = QuestionSlotSerializer(many=True, help_text="In this student's order; feedback only if released.")
    saved = SavedAnswerSerializer(many=True)


class SaveResultSerializer(serializers.Serializer):
    question = serializers.CharField()
    saved_at = serializers.DateTimeField()
    sequence = serializers.IntegerField(help_text="The stored sequence (newer than yours when `stale`).")
    stale = serializers.BooleanField(
        help_text="Your save was not newer than the stored one: nothing changed."
    )


class ResultLineSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question = serializers.CharField()
    answered = serializers.BooleanField()
    earned = serializers.CharField(allow_blank=True)
    possible = serializers.CharField()
    waiting_for_teacher = serializers.BooleanField()
    teacher_comment = serializers.CharField(allow_blank=True)


class ResultsSerializer(serializers.Serializer):
    attempt = AttemptSerializer()
    released = serializers.BooleanField(help_text="Whether the assignment's policy shows results now.")
    answered = serializers.IntegerField()
    questions = serializers.IntegerField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    lines = ResultLineSerializer(many=True)
    slots = QuestionSlotSerializer(many=True)


# ----------------------------------------------------------------------------------------------------
# A teacher's classes (read)


class TeacherClassroomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    join_code = serializers.CharField(allow_null=True, help_text="Null while joining by code is turned off.")
    students = serializers.IntegerField()
    assignments = serializers.IntegerField()


class RosterStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)


class ClassAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lesson = serializers.SlugField()
    title = serializers.CharField()
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    feedback_release = serializers.CharField()


class GradebookCellSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    assignment = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["not_started", "in_progress", "submitted", "late", "needs_grading"]
    )
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()


class GradebookSerializer(serializers.Serializer):
    classroom = ClassroomSerializer()
    students = RosterStudentSerializer(many=True, help_text="The roster.")
    assignments = ClassAssignmentSerializer(many=True)
    cells = GradebookCellSerializer(many=True, help_text="One per student and assignment: the best score.")


# ----------------------------------------------------------------------------------------------------
# A teacher's classes: changes, roster, co-teachers


class ClassroomInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)


class JoinCodeInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["rotate", "disable"], help_text="rotate: a new code (the old one stops); disable: none."
    )


class UsernameInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class TeacherSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class RosterEntrySerializer(RosterStudentSerializer):
    time_multiplier = serializers.DecimalField(
        max_digits=3, decimal_places=2, help_text="Standing extra time: time limits multiplied by this."
    )
    extensions = serializers.IntegerField(help_text="How many assignments they have an extension of.")


class ClassroomDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    join_code = serializers.CharField(allow_null=True, help_text="Null while joining by code is turned off.")
    archived_at = serializers.DateTimeField(allow_null=True, help_text="Archived: read-only.")
    teachers = TeacherSerializer(many=True)
    students = RosterEntrySerializer(many=True)
    assignments = ClassAssignmentSerializer(many=True)


class RosterInputSerializer(serializers.Serializer):
    names = serializers.CharField(
        max_length=100_000,
        trim_whitespace=False,
        help_text="One student a line, `first name,last name` (CSV; a header line is skipped). One line adds "
        "one student. As multipart/form-data, a UTF-8 CSV file may come as `csv_file` instead.",
    )


class RosterUploadSerializer(serializers.Serializer):
    csv_file = serializers.FileField(help_text="Two columns, first name and last name, UTF-8.")


class NewStudentSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    password = serializers.CharField(help_text="Shown this once: only its hash is kept.")


class ExtraTimeInputSerializer(serializers.Serializer):
    time_multiplier = serializers.DecimalField(max_digits=3, decimal_places=2, min_value=1, max_value=4)


class ExtensionInputSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="The student's own due date."
    )
    extra_minutes = serializers.IntegerField(required=False, min_value=0, max_value=24 * 60, default=0)


class ExtensionSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    student = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    extra_minutes = serializers.IntegerField()


# ----------------------------------------------------------------------------------------------------
# A teacher's assignments


def _aid_choice() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=AidVisibility.choices, allow_null=True, required=False)


class ReadingAidsInputSerializer(serializers.Serializer):
    """When the class sees each reading aid; null or left out: as the lesson chooses."""

    sourcing_note = _aid_choice()
    provenance = _aid_choice()
    actor_cards = _aid_choice()
    treaty_cards = _aid_choice()


class AssignmentInputSerializer(serializers.Serializer):
    lesson = serializers.SlugField(
        help_text="A published lesson you may assign; its current revision is pinned."
    )
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    time_limit_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )
    attempts_allowed = serializers.IntegerField(required=False, default=1, min_value=1, max_value=20)
    feedback_release = serializers.ChoiceField(
        choices=FeedbackRelease.choices, default=FeedbackRelease.AFTER_SUBMIT
    )
    late_policy = serializers.ChoiceField(choices=LatePolicy.choices, default=LatePolicy.REFUSE)
    shuffle_questions = serializers.BooleanField(required=False, default=False)
    shuffle_options = serializers.BooleanField(required=False, default=False)
    reading_aids = ReadingAidsInputSerializer(required=False)


class AssignmentChangeSerializer(serializers.Serializer):
    """An assignment's terms to change; any left out stay as they are."""

    opens_at = serializers.DateTimeField(required=False)
    due_at = serializers.DateTimeField(required=False)
    time_limit_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )
    attempts_allowed = serializers.IntegerField(required=False, min_value=1, max_value=20)
    feedback_release = serializers.ChoiceField(choices=FeedbackRelease.choices, required=False)
    late_policy = serializers.ChoiceField(choices=LatePolicy.choices, required=False)
    shuffle_questions = serializers.BooleanField(required=False)
    shuffle_options = serializers.BooleanField(required=False)
    reading_aids = ReadingAidsInputSerializer(
        required=False, help_text="The aids named change; null: the lesson's."
    )


class ReadingAidsSerializer(serializers.Serializer):
    sourcing_note = serializers.CharField(allow_null=True)
    provenance = serializers.CharField(allow_null=True)
    actor_cards = serializers.CharField(allow_null=True)
    treaty_cards = serializers.CharField(allow_null=True)


class TeacherAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    classroom = serializers.IntegerField()
    lesson = serializers.SlugField()
    title = serializers.CharField()
    revision = serializers.IntegerField(help_text="The number of the lesson's revision it hands out.")
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    time_limit_minutes = serializers.IntegerField(allow_null=True)
    attempts_allowed = serializers.IntegerField()
    feedback_release = serializers.CharField()
    late_policy = serializers.CharField()
    shuffle_questions = serializers.BooleanField()
    shuffle_options = serializers.BooleanField()
    reading_aids = ReadingAidsSerializer(help_text="The class's choice of each aid; null: the lesson's.")
    released_at = serializers.DateTimeField(allow_null=True, help_text="When a teacher released feedback.")


class StudentResultSerializer(serializers.Serializer):
    student = RosterStudentSerializer()
    status = serializers.CharField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()
    attempt = serializers.IntegerField(allow_null=True, help_text="The counted (best submitted) attempt.")


class RegradeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The revision's number the attempts were rescored against.")
    by = serializers.CharField()
    at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)
    changed = serializers.IntegerField(help_text="How many submitted scores changed.")


class AssignmentResultsSerializer(serializers.Serializer):
    assignment = TeacherAssignmentSerializer()
    students = StudentResultSerializer(many=True)
    waiting_for_grades = serializers.IntegerField()
    published_revision = serializers.IntegerField(allow_null=True, help_text="What a regrade would move to.")
    released_by_hand = serializers.BooleanField()
    regrades = RegradeSerializer(many=True)


class RegradeInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2_000)


# ----------------------------------------------------------------------------------------------------
# Grading open answers, item analysis


class CriterionGradeSerializer(serializers.Serializer):
    id = serializers.CharField()
    criterion = serializers.CharField()
    points = serializers.IntegerField(help_text="The most it can give.")
    given = serializers.IntegerField(allow_null=True)


class GradingItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The answer (response) to grade.")
    attempt = serializers.IntegerField()
    student = RosterStudentSerializer()
    number = serializers.IntegerField(help_text="The question's number in the lesson.")
    question = serializers.CharField()
    prompt = serializers.CharField()
    model_answer_html = serializers.CharField(allow_blank=True)
    answer = serializers.JSONField()
    criteria = CriterionGradeSerializer(many=True)
    comment = serializers.CharField(allow_blank=True)
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    pending = serializers.BooleanField(help_text="Waiting for its first grade.")
    graded_by = serializers.CharField(allow_null=True)
    graded_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(
        help_text="Send it back with the grade: a grade given meanwhile is a 409."
    )


class GradeInputSerializer(serializers.Serializer):
    criteria = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000),
        help_text="Points by rubric criterion id.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    version = serializers.IntegerField(min_value=0, help_text="The `version` the grade was given against.")


class ReleaseSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    released_at = serializers.DateTimeField()


class OptionCountSerializer(serializers.Serializer):
    text = serializers.CharField()
    count = serializers.IntegerField()
    is_key = serializers.BooleanField()


class QuestionStatsSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question = serializers.CharField()
    prompt = serializers.CharField()
    kind = serializers.CharField()
    focus = serializers.CharField()
    responses = serializers.IntegerField()
    difficulty = serializers.FloatField(allow_null=True, help_text="The share of points earned, 0 to 1.")
    discrimination = serializers.FloatField(allow_null=True, help_text="Point-biserial, -1 to 1.")
    median_seconds = serializers.FloatField(allow_null=True)
    options = OptionCountSerializer(many=True)


class FocusMasterySerializer(serializers.Serializer):
    focus = serializers.CharField()
    label = serializers.CharField()
    share = serializers.FloatField(allow_null=True)


class HistogramBarSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class ItemAnalysisSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    attempts = serializers.IntegerField(help_text="Submitted attempts counted.")
    questions = QuestionStatsSerializer(many=True)
    focus_mastery = FocusMasterySerializer(many=True)
    histogram = HistogramBarSerializer(many=True)


# ----------------------------------------------------------------------------------------------------
# Authoring: the lessons a teacher owns or co-authors, their revisions and what changed between two


class AuthoredLessonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="draft or published.")
    visibility = serializers.CharField()
    owner = serializers.CharField(allow_null=True, help_text="The owner's username.")
    mine = serializers.BooleanField(help_text="true: you own it; false: you co-author it.")
    questions = serializers.IntegerField()
    revisions = serializers.IntegerField(help_text="How many revisions are published.")
    published_revision = serializers.IntegerField(allow_null=True, help_text="The number of the live one.")
    archived_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class LessonFileSerializer(serializers.Serializer):
    """A lesson file (see fixtures/README.md), keys included: `format`, `version`, `lesson`, `sources`,
    `actors`, `treaties`, `article`, `claims`, `questions`."""

    format = serializers.CharField()
    version = serializers.IntegerField()
    lesson = serializers.DictField()
    sources = serializers.ListField(child=serializers.DictField())
    actors = serializers.ListField(child=serializers.DictField())
    treaties = serializers.ListField(child=serializers.DictField())
    article = serializers.DictField()
    claims = serializers.ListField(child=serializers.DictField())
    questions = serializers.ListField(child=serializers.DictField())


class RevisionLineSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField(allow_null=True, help_text="Who published it (username).")
    content_sha256 = serializers.CharField()


class RevisionSerializer(RevisionLineSerializer):
    content = LessonFileSerializer(help_text="The lesson as published, keys included.")


class QuestionLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField(help_text="Its number in the revision it belongs to.")
    prompt = serializers.CharField()


class QuestionChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField(help_text="Its number in the newer revision.")
    old_prompt = serializers.CharField()
    new_prompt = serializers.CharField()
    aspects = serializers.ListField(child=serializers.CharField(), help_text="What differs: key, prompt, …")
    labels = serializers.ListField(child=serializers.CharField(), help_text="The same, as people read them.")


class RevisionChangesSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    added = QuestionLineSerializer(many=True)
    removed = QuestionLineSerializer(many=True)
    changed = QuestionChangeSerializer(many=True)
    reordered = serializers.BooleanField()
    lesson_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The lesson's own parts that changed (title, article, …)."
    )


class ImportConflictSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="actor, treaty or source.")
    id = serializers.CharField()
    field = serializers.CharField()
    shared = serializers.CharField(help_text="What the shared record says (it is never overwritten).")
    in_file = serializers.CharField()
    for_lesson = serializers.BooleanField(help_text="true: the file's value became this lesson's own.")
    message = serializers.CharField()


class ImportedLessonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField()
    conflicts = ImportConflictSerializer(many=True, help_text="Where the file differs from shared records.")


class PublishedSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    revision = serializers.IntegerField(help_text="The number of the published revision.")


class ArchiveInputSerializer(serializers.Serializer):
    archived = serializers.BooleanField(
        default=True, help_text="true (the default): archive the lesson; false: put it back."
    )


class ArchivedLessonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    archived_at = serializers.DateTimeField(allow_null=True)


class CoAuthorsSerializer(serializers.Serializer):
    owner = TeacherSerializer(allow_null=True, help_text="Who owns the lesson: only they choose co-authors.")
    co_authors = TeacherSerializer(many=True, help_text="The teachers who may edit it too, by username.")
