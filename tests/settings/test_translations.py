"""The Spanish catalogue: complete, compiled, and served to a browser that asks for Spanish.

The .po is read by a small parser of this file (no new dependency); the .mo is loaded with the standard
library's gettext, so its freshness is checked without the gettext tools.
"""

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from lessons.models.choices import Focus, Standing
from lessons.services import InvalidAnswer, response_save, self_study_attempt_open
from lessons.services.classroom import classroom_add_coteacher, classroom_create, classroom_join, teacher_make
from lessons.services.errors import InvalidInput

MESSAGES = Path(settings.BASE_DIR) / "lessons" / "locale" / "es" / "LC_MESSAGES"
PO_FILE = MESSAGES / "django.po"
MO_FILE = MESSAGES / "django.mo"

# Placeholders and markup a translation must keep: %(name)s, %s, %d, %02d, %%, tags and entities.
PERCENT = re.compile(r"%(?:\([a-z_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")
BRACES = re.compile(r"\{[a-z_]+\}")
MARKUP = re.compile(r"</?[a-z]+>|&[a-z]+;")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)

    def value(text: str) -> str:
        return ast.literal_eval(text.strip())

    for number, line in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], start=1):
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                entry = entry or Entry(line=number)
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif not line.startswith("#~"):
                entry = entry or Entry(line=number)
            continue
        entry = entry or Entry(line=number)
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            text = value(line)
        elif keyword == "msgid":
            target, text = ("msgid", 0), value(rest)
        elif keyword == "msgid_plural":
            target, text = ("msgid_plural", 0), value(rest)
            entry.msgid_plural = ""
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target, text = ("msgstr", index), value(rest)
            entry.msgstr[index] = ""
        else:
            raise AssertionError(f"{path.name}:{number}: cannot read {line!r}")
        kind, index = target
        if kind == "msgid":
            entry.msgid += text
        elif kind == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        else:
            entry.msgstr[index] += text
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    assert entries[0].msgid == "", "the header comes first"
    return entries[1:]


@pytest.fixture(autouse=True)
def _back_to_the_default_language() -> Any:
    # LocaleMiddleware activates the request's language for the thread; leave English for the next test.
    yield
    translation.deactivate()


# (a) The .po is complete


def test_the_header_declares_spanish_utf8_and_two_plural_forms(entries: list[Entry]) -> None:
    header = entries[0]
    assert "fuzzy" not in header.flags
    assert "Language: es\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy(messages: list[Entry]) -> None:
    assert len(messages) > 800, "the catalogue holds the site's messages"
    fuzzy = [entry.msgid for entry in messages if "fuzzy" in entry.flags]
    assert fuzzy == []
    untranslated = [
        entry.msgid
        for entry in messages
        if sorted(entry.msgstr) != ([0, 1] if entry.msgid_plural is not None else [0])
        or not all(entry.msgstr.values())
    ]
    assert untranslated == []


def test_translations_keep_placeholders_and_markup(messages: list[Entry]) -> None:
    def kept(text: str, brace_format: bool) -> list[str]:
        found = sorted(PERCENT.findall(text)) + sorted(MARKUP.findall(text))
        return found + sorted(BRACES.findall(text)) if brace_format else found

    lost = []
    for entry in messages:
        brace_format = "python-brace-format" in entry.flags
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for source, translated in zip(sources, entry.msgstr.values(), strict=True):
            if kept(source, brace_format) != kept(translated, brace_format):
                lost.append((source, translated))
    assert lost == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_checks_the_catalogue_and_counts_no_fuzzy_or_untranslated_message() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "fuzzy" not in result.stderr
    assert "untranslated" not in result.stderr


# (b) The committed .mo is the compiled .po


def test_the_mo_file_holds_exactly_the_translations_of_the_po_file(messages: list[Entry]) -> None:
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    assert compiled.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    expected_keys: set[Any] = {""}
    for entry in messages:
        if entry.msgid_plural is None:
            expected_keys.add(entry.msgid)
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], entry.msgid
        else:
            expected_keys.update({(entry.msgid, 0), (entry.msgid, 1)})
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0], entry.msgid
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr[1], entry.msgid
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 0) == entry.msgstr[1], entry.msgid
    # Nothing stale: the .mo holds no message the .po has dropped.
    assert set(compiled._catalog) == expected_keys


# (c) Pages follow the browser's language; English stays the default


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["es", "es-MX,es;q=0.9,en;q=0.5"])
def test_the_home_page_is_in_spanish_for_a_spanish_browser(client: Any, accept: str) -> None:
    page = client.get("/", headers={"accept-language": accept}).content.decode()

    assert '<html lang="es">' in page
    assert "Lecciones de actualidad" in page
    assert "Saltar al contenido" in page
    assert "Buscar lecciones" in page
    assert "Todavía no hay lecciones publicadas." in page
    assert "Iniciar sesión" in page
    assert "Current-affairs lessons" not in page


@pytest.mark.django_db
def test_the_login_page_is_in_spanish_for_a_spanish_browser(client: Any) -> None:
    page = client.get("/accounts/login/", headers={"accept-language": "es"}).content.decode()

    assert '<html lang="es">' in page
    assert "<h1>Iniciar sesión</h1>" in page
    assert "¿Olvidaste tu contraseña?" in page
    assert "¿Primera vez aquí?" in page
    assert "Crear una cuenta" in page
    assert "Contraseña" in page  # Django's own catalogue labels the password field
    assert "Forgotten your password?" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"accept-language": "en-GB,en;q=0.8"}, {"accept-language": "fr"}])
def test_pages_stay_in_english_without_a_spanish_browser(client: Any, headers: dict[str, str]) -> None:
    home = client.get("/", headers=headers).content.decode()
    login = client.get("/accounts/login/", headers=headers).content.decode()

    assert '<html lang="en">' in home
    assert "Current-affairs lessons" in home
    assert "Lecciones de actualidad" not in home
    assert "Forgotten your password?" in login
    assert "¿Olvidaste tu contraseña?" not in login


# (d) Messages made in Python


def test_model_choice_labels_and_plural_messages_follow_the_active_language() -> None:
    with translation.override("es"):
        assert str(Focus.SOURCING.label) == "Fuentes"
        assert str(Standing.ALLEGED.label) == "Presunta"
        published = translation.ngettext("%(count)d lesson published.", "%(count)d lessons published.", 3)
        assert published % {"count": 3} == "3 lecciones publicadas."
    assert str(Focus.SOURCING.label) == "Sourcing"


@pytest.mark.django_db
def test_service_errors_are_in_the_active_language(django_user_model: Any) -> None:
    teacher = django_user_model.objects.create_user("teacher")
    teacher_make(user=teacher)
    student = django_user_model.objects.create_user("student")
    classroom = classroom_create(teacher=teacher, name="Cívica")

    with translation.override("es"), pytest.raises(InvalidInput) as joined:
        classroom_join(student=student, code="NOSUCHCODE")
    assert joined.value.message == "Ninguna clase abierta tiene este código. Verifícalo con tu docente."

    with translation.override("es"), pytest.raises(InvalidInput) as added:
        classroom_add_coteacher(teacher=teacher, classroom=classroom, username="nadie")
    assert added.value.message == "Ningún docente tiene el nombre de usuario nadie."

    with pytest.raises(InvalidInput) as in_english:
        classroom_join(student=student, code="NOSUCHCODE")
    assert in_english.value.message == "No open class has this code. Check it with your teacher."


def test_a_malformed_answer_is_explained_in_the_active_language_down_to_the_type_it_got(
    django_user_model: Any, first_lesson: Any
) -> None:
    learner = django_user_model.objects.create_user("learner")
    assert first_lesson.published_revision is not None
    attempt = self_study_attempt_open(learner=learner, revision=first_lesson.published_revision)

    with translation.override("es"), pytest.raises(InvalidAnswer) as in_spanish:
        response_save(learner=attempt.learner, attempt=attempt, question_key="q05", answer="yes")
    with pytest.raises(InvalidAnswer) as in_english:
        response_save(learner=attempt.learner, attempt=attempt, question_key="q05", answer="yes")

    assert in_spanish.value.message == "se esperaba true o false; se recibió un texto"
    assert in_english.value.message == "expected true or false, got a string"
