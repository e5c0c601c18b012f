"""The studio's form for a file of questions from another tool (GIFT, Moodle XML, QTI)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lessons.interop.safety import MAX_UPLOAD_BYTES

FILE_FORMATS = [
    ("gift", _("GIFT (text)")),
    ("moodle", _("Moodle XML")),
    ("qti", _("IMS QTI 2.1 or 3.0 (a package or one item)")),
]


class QuestionFileForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=FILE_FORMATS, initial="gift")
    file = forms.FileField(
        label=_("Question file"),
        help_text=_(
            "At most %(size)s KB. The questions become a new private draft; nothing is imported from a "
            "file that cannot be read."
        )
        % {"size": MAX_UPLOAD_BYTES // 1000},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.gift,.xml,.zip"}),
    )

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s KB.") % {"size": MAX_UPLOAD_BYTES // 1000}
            )
        self.filename = upload.name or ""
        return upload.read(MAX_UPLOAD_BYTES + 1)
