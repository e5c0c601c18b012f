"""Shapes of the author's question endpoints: a lesson's draft questions in the lesson file's own question
format (keys included: authors only), saving, moving and trying them in the preview, and question files of
other tools (GIFT, Moodle XML, QTI) in and out with their reports.

A question's body is read and checked by the service (the lesson file's rules, then the editor's), never
here: these serializers describe it for the schema and shape the answers.
"""

from __future__ import annotations

from rest_framework import serializers

from lessons.kinds import kind_names
from lessons.models import Focus
from lessons.services.interop import EXPORT_FORMATS, READERS

from .serializers import AnsweredSerializer

# ----------------------------------------------------------------------------------------------------
# A question as a lesson file writes it


class QuestionFileOptionSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=500)
    group = serializers.CharField(
        required=False, help_text="Only where the kind's options come in groups (fixtures/README.md)."
    )


class QuestionFileCriterionSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=40)
    criterion = serializers.CharField()
    points = serializers.IntegerField(min_value=1, max_value=100)


class QuestionFileAnswerSerializer(serializers.Serializer):
    explanation = serializers.CharField(help_text="Markdown; what a student reads after answering.")
    correct = serializers.JSONField(
        allow_null=True, help_text="The key in the kind's shape: an option id, ids, a mapping, a number…"
    )
    option_feedback = serializers.DictField(child=serializers.CharField(), help_text="By option id.")
    accepted = serializers.ListField(child=serializers.CharField(), help_text="Accepted short answers.")
    typo_tolerance = serializers.IntegerField(min_value=0, max_value=3)
    near_misses = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text="Always-wrong answers: a text, or `{text, feedback}`; written only when there are any.",
    )
    model_answer = serializers.CharField(allow_blank=True)
    rubric = QuestionFileCriterionSerializer(many=True)


class QuestionFileSerializer(serializers.Serializer):
    """One question exactly as in a lesson file (fixtures/README.md), keys included: what GET gives, PUT
    takes back."""

    id = serializers.CharField(
        max_length=40,
        required=False,
        help_text="Its key. Chosen by the server for a new question; a replacement keeps it.",
    )
    kind = serializers.ChoiceField(
        choices=kind_names(), help_text="A kind of the registry; it never changes."
    )
    focus = serializers.ChoiceField(choices=Focus.values)
    prompt = serializers.CharField()
    points = serializers.IntegerField(min_value=1, max_value=100)
    actors = serializers.ListField(child=serializers.CharField(), help_text="Ids of the lesson's actors.")
    treaties = serializers.ListField(child=serializers.CharField(), help_text="Ids of its treaties.")
    claims = serializers.ListField(child=serializers.CharField(), help_text="Ids of its article's claims.")
    evidence = serializers.ListField(
        child=serializers.CharField(), help_text="Ids of the article's sentences."
    )
    options = QuestionFileOptionSerializer(many=True)
    items = QuestionFileOptionSerializer(many=True)
    evidence_part = serializers.IntegerField(
        min_value=0, max_value=100, help_text="Points of a second part asking for the sentences; 0: none."
    )
    answer = QuestionFileAnswerSerializer()


class KindChoiceSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class DraftQuestionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Its place in the lesson, from 1.")
    key = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    focus_label = serializers.CharField()
    prompt = serializers.CharField()
    points = serializers.IntegerField()
    evidence_part = serializers.IntegerField()
    question = QuestionFileSerializer(help_text="The question as in the lesson file, keys included.")


class DraftQuestionsSerializer(serializers.Serializer):
    slug = serializers.CharField()
    draft_changed = serializers.BooleanField(
        help_text="Whether the draft differs from the published revision (publish to show it to students)."
    )
    kinds = KindChoiceSerializer(many=True, help_text="Every kind a new question may be.")
    questions = DraftQuestionSerializer(many=True)


class SavedQuestionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    key = serializers.CharField()
    rearranged = serializers.BooleanField(
        help_text="Its list was written in the order of its answer and is stored in another (the answer is "
        "unchanged), so a printout or an export does not give it away."
    )
    question = QuestionFileSerializer(help_text="As stored now.")


class QuestionMoveInputSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=["up", "down"], required=False, help_text="One place up or down, as the studio's buttons."
    )
    position = serializers.IntegerField(
        min_value=1, max_value=10_000, required=False, help_text="Its new number (past the last: last)."
    )

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        if ("direction" in attrs) == ("position" in attrs):
            raise serializers.ValidationError("Give either `direction` or `position`.")
        return attrs


class QuestionOrderSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField(help_text="Its number after the move.")
    order = serializers.ListField(child=serializers.CharField(), help_text="Every question's key, in order.")


class PreviewAnsweredSerializer(serializers.Serializer):
    question = serializers.CharField()
    answered = AnsweredSerializer(help_text="The feedback the preview shows; nothing is stored.")


# ----------------------------------------------------------------------------------------------------
# Question files of other tools


class QuestionFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A GIFT file, a Moodle XML file, or a QTI package or item.")
    format = serializers.ChoiceField(choices=list(READERS))


class ReportEntrySerializer(serializers.Serializer):
    question = serializers.CharField(allow_blank=True, help_text="Its name or number; empty: the whole file.")
    message = serializers.CharField()
    skipped = serializers.BooleanField(help_text="Left out (else carried, changed as the message says).")


class InteropReportSerializer(serializers.Serializer):
    carried = serializers.IntegerField(help_text="Questions carried.")
    skipped = serializers.IntegerField(help_text="Questions left out.")
    entries = ReportEntrySerializer(many=True)


class QuestionsImportedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    url = serializers.CharField(help_text="The new draft in this API (author side).")
    report = InteropReportSerializer()


class ExportFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(EXPORT_FORMATS))
    name = serializers.CharField()
    media_type = serializers.CharField()
    filename = serializers.CharField()
    url = serializers.CharField(help_text="Its download.")
    report = InteropReportSerializer(help_text="What the format could not carry, or carries otherwise.")


class LessonExportsSerializer(serializers.Serializer):
    slug = serializers.CharField()
    formats = ExportFormatSerializer(many=True)
