"""Classes: who may create one, join codes (format, rotation, switching off, normalising), joining, adding a
roster from a CSV file, and co-teachers."""

from __future__ import annotations

import re

import pytest
from classroom_support import MakeUser
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from lessons.models import Classroom, Enrollment
from lessons.services.classroom import (
    BulkAddError,
    classroom_add_coteacher,
    classroom_archive,
    classroom_create,
    classroom_disable_code,
    classroom_join,
    classroom_rotate_code,
    students_bulk_add,
)
from lessons.services.errors import InvalidInput, NotAllowed
from lessons.services.people import has_temporary_password, password_chosen

pytestmark = pytest.mark.django_db

JOIN_CODE = re.compile(r"^[A-Z2-9]{8}$")


def enrolled(classroom: Classroom) -> list[str]:
    return sorted(classroom.enrollments.values_list("student__username", flat=True))


# --- creating a class -------------------------------------------------------------------------------------


def test_a_teacher_creates_a_class_they_teach_with_a_join_code(teacher: User) -> None:
    classroom = classroom_create(teacher=teacher, name="  Civics 9B  ")

    assert classroom.name == "Civics 9B"
    assert list(classroom.teachers.all()) == [teacher]
    assert classroom.join_code is not None
    assert JOIN_CODE.match(classroom.join_code)
    assert classroom.archived_at is None


def test_join_codes_are_eight_unambiguous_capitals_and_digits(teacher: User) -> None:
    codes = [classroom_create(teacher=teacher, name=f"Class {n}").join_code for n in range(40)]

    assert all(code is not None and JOIN_CODE.match(code) for code in codes), codes
    # No 0/O or 1/I to misread. (The alphabet keeps L although its comment says it leaves L out.)
    assert not set("".join(c for c in codes if c)) & set("01IO")
    assert len(set(codes)) == 40


def test_a_student_cannot_create_a_class(student: User) -> None:
    with pytest.raises(NotAllowed):
        classroom_create(teacher=student, name="My own class")

    assert Classroom.objects.count() == 0


def test_a_class_needs_a_name(teacher: User) -> None:
    with pytest.raises(InvalidInput) as refused:
        classroom_create(teacher=teacher, name="   ")

    assert refused.value.field == "name"
    assert Classroom.objects.count() == 0


# --- join codes -------------------------------------------------------------------------------------------


def test_rotating_the_code_gives_a_new_one_and_the_old_one_no_longer_joins(
    classroom: Classroom,
    make_user: MakeUser,
    teacher: User,
) -> None:
    old = classroom.join_code
    assert old is not None

    classroom_rotate_code(teacher=teacher, classroom=classroom)

    classroom.refresh_from_db()
    assert classroom.join_code is not None
    assert JOIN_CODE.match(classroom.join_code)
    assert classroom.join_code != old
    late = make_user("late")
    with pytest.raises(InvalidInput) as refused:
        classroom_join(student=late, code=old)
    assert refused.value.field == "code"
    assert not Enrollment.objects.filter(student=late).exists()
    assert classroom_join(student=late, code=classroom.join_code).classroom == classroom


def test_with_its_code_switched_off_a_class_cannot_be_joined(
    classroom: Classroom,
    make_user: MakeUser,
    teacher: User,
) -> None:
    old = classroom.join_code
    assert old is not None

    classroom_disable_code(teacher=teacher, classroom=classroom)

    classroom.refresh_from_db()
    assert classroom.join_code is None
    newcomer = make_user("newcomer")
    with pytest.raises(InvalidInput) as refused:
        classroom_join(student=newcomer, code=old)
    assert refused.value.field == "code"
    assert not Enrollment.objects.filter(student=newcomer).exists()


def test_joining_twice_is_harmless(classroom: Classroom, student: User) -> None:
    assert classroom.join_code is not None
    first = Enrollment.objects.get(classroom=classroom, student=student)

    again = classroom_join(student=student, code=classroom.join_code)

    assert again.pk == first.pk
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


@pytest.mark.parametrize("typed", ["abcd-efgh", " ABCD EFGH ", "abCD-ef gh", "ABCD-EFGH\n", "AbCdEfGh"])
def test_a_code_is_normalised_before_it_is_looked_up(
    classroom: Classroom, make_user: MakeUser, typed: str
) -> None:
    classroom.join_code = "ABCDEFGH"
    classroom.save(update_fields=["join_code"])
    newcomer = make_user("newcomer")

    enrollment = classroom_join(student=newcomer, code=typed)

    assert enrollment.classroom == classroom
    assert enrolled(classroom) == ["newcomer", "student"]


def test_an_unknown_code_is_refused_with_the_code_field(classroom: Classroom, make_user: MakeUser) -> None:
    newcomer = make_user("newcomer")

    with pytest.raises(InvalidInput) as refused:
        classroom_join(student=newcomer, code="ZZZZ-ZZZZ")

    assert refused.value.field == "code"
    assert not Enrollment.objects.filter(student=newcomer).exists()


def test_an_archived_class_cannot_be_joined(classroom: Classroom, make_user: MakeUser, teacher: User) -> None:
    classroom_archive(teacher=teacher, classroom=classroom)
    classroom.refresh_from_db()
    assert classroom.archived_at is not None
    assert classroom.join_code is None
    # Even a code put back on an archived class (in the admin, say) does not let anyone in.
    classroom.join_code = "ABCDEFGH"
    classroom.save(update_fields=["join_code"])
    newcomer = make_user("newcomer")

    with pytest.raises(InvalidInput) as refused:
        classroom_join(student=newcomer, code="ABCDEFGH")

    assert refused.value.field == "code"
    assert not Enrollment.objects.filter(student=newcomer).exists()


# --- adding students from a CSV file ----------------------------------------------------------------------


def test_bulk_add_makes_one_enrolled_account_per_row_with_a_working_one_time_password(
    classroom: Classroom,
    teacher: User,
) -> None:
    users_before = User.objects.count()
    csv_text = "first name,last name\nAna,Lopez\nBen,Okafor\nAna,Lopez\nJosé,Núñez\n"

    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text=csv_text)

    assert [(s.username, s.name) for s in added] == [
        ("ana.lopez", "Ana Lopez"),
        ("ben.okafor", "Ben Okafor"),
        ("ana.lopez2", "Ana Lopez"),
        ("jose.nunez", "José Núñez"),
    ]
    assert User.objects.count() == users_before + 4
    assert enrolled(classroom) == ["ana.lopez", "ana.lopez2", "ben.okafor", "jose.nunez", "student"]
    assert len({s.password for s in added}) == 4
    for new in added:
        assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", new.password)
        user = authenticate(username=new.username, password=new.password)
        assert user is not None and user.username == new.username
        assert not user.check_password("wrong-" + new.password)
    ana = User.objects.get(username="ana.lopez2")
    assert (ana.first_name, ana.last_name) == ("Ana", "Lopez")


def test_bulk_added_passwords_count_as_one_time_until_the_student_chooses_one(
    classroom: Classroom, teacher: User
) -> None:
    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text="Ana,Lopez\nBen,Okoro\n")
    ana, ben = (User.objects.get(username=s.username) for s in added)

    assert has_temporary_password(ana) and has_temporary_password(ben)
    password_chosen(user=ana)
    assert not has_temporary_password(ana)
    assert has_temporary_password(ben)
    assert not has_temporary_password(User.objects.get(username="student"))  # made by sign-up


def test_bulk_add_skips_usernames_already_taken(
    classroom: Classroom, make_user: MakeUser, teacher: User
) -> None:
    make_user("ana.lopez")

    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text="Ana,Lopez\nAna,Lopez\n")

    assert [s.username for s in added] == ["ana.lopez2", "ana.lopez3"]


@pytest.mark.parametrize(
    "header",
    [
        "first name,last name",
        "First Name,Last Name",
        "FIRST NAME, LAST NAME",
        "First,Last",
        "Nombre,Apellidos",
    ],
)
def test_bulk_add_skips_a_header_row(classroom: Classroom, header: str, teacher: User) -> None:
    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text=f"{header}\r\nMia,Chen\r\n")

    assert [s.username for s in added] == ["mia.chen"]
    assert not User.objects.filter(first_name__iexact="first name").exists()


def test_bulk_add_with_bad_rows_names_each_and_creates_nobody(classroom: Classroom, teacher: User) -> None:
    users_before = User.objects.count()
    enrollments_before = Enrollment.objects.count()
    csv_text = "Ana,Lopez\nSolo\nBen,\n=HYPERLINK(1),Evil\nCara,Diaz\n"

    with pytest.raises(BulkAddError) as refused:
        students_bulk_add(teacher=teacher, classroom=classroom, csv_text=csv_text)

    assert refused.value.problems == [
        (2, "expected two cells, first name and last name"),
        (3, "both first name and last name are needed"),
        (4, "a name cannot start with = + @ or a control character"),
    ]
    assert refused.value.field == "csv"
    assert isinstance(refused.value, InvalidInput)
    assert User.objects.count() == users_before
    assert Enrollment.objects.count() == enrollments_before
    assert not User.objects.filter(username__in=["ana.lopez", "cara.diaz"]).exists()


@pytest.mark.parametrize(
    ("csv_text", "problems"),
    [
        ("", [(1, "the file lists no students")]),
        ("first name,last name\n", [(1, "the file lists no students")]),
        ("Ana,Lopez,extra\n", [(1, "expected two cells, first name and last name")]),
        ("Ana,@Lopez\n", [(1, "a name cannot start with = + @ or a control character")]),
        ("Ana,+Lopez\n", [(1, "a name cannot start with = + @ or a control character")]),
        ("Ana,Lo\x00pez\n", [(1, "a name contains a control character (such as NUL)")]),
        ("Ana,Lopez\nBen,Ok\x1boro\n", [(2, "a name contains a control character (such as NUL)")]),
    ],
    ids=["empty", "header-only", "three-cells", "at-sign", "plus-sign", "nul", "escape"],
)
def test_bulk_add_refuses_files_without_a_valid_roster(
    classroom: Classroom,
    csv_text: str,
    problems: list[tuple[int, str]],
    teacher: User,
) -> None:
    users_before = User.objects.count()

    with pytest.raises(BulkAddError) as refused:
        students_bulk_add(teacher=teacher, classroom=classroom, csv_text=csv_text)

    assert refused.value.problems == problems
    assert User.objects.count() == users_before


@pytest.mark.parametrize(
    "csv_text",
    [
        "Ana,Lopez\rBen,Okoro\r",  # lines ended by a lone CR, as older spreadsheets save them
        "Ana\tLopez\nBen\tOkoro\n",  # two columns pasted from a spreadsheet
        "Nombre;Apellido\r\nAna;Lopez\r\nBen;Okoro\r\n",  # CSV where the comma is the decimal mark
        "\ufeffAna,Lopez\r\n\r\nBen,Okoro",  # a byte order mark, a blank line, no final line break
        "\n\nFirst name,Last name\nAna,Lopez\nBen,Okoro\n",  # the header after blank lines
    ],
    ids=["cr", "tabs", "semicolons", "bom", "header-after-blanks"],
)
def test_bulk_add_reads_the_rosters_spreadsheets_make(
    classroom: Classroom, csv_text: str, teacher: User
) -> None:
    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text=csv_text)

    assert [(s.username, s.name) for s in added] == [("ana.lopez", "Ana Lopez"), ("ben.okoro", "Ben Okoro")]
    assert enrolled(classroom) == ["ana.lopez", "ben.okoro", "student"]


def test_bulk_add_reads_a_semicolon_roster_whose_first_line_quotes_a_comma(
    classroom: Classroom, teacher: User
) -> None:
    added = students_bulk_add(teacher=teacher, classroom=classroom, csv_text='Ana;"Lopez, Jr"\nBen;Okoro\n')

    assert [(s.username, s.name) for s in added] == [
        ("ana.lopezjr", "Ana Lopez, Jr"),
        ("ben.okoro", "Ben Okoro"),
    ]


# --- co-teachers ------------------------------------------------------------------------------------------


def test_an_existing_teacher_can_be_added_as_co_teacher(
    classroom: Classroom, make_user: MakeUser, teacher: User
) -> None:
    colleague = make_user("colleague", teacher=True)

    added = classroom_add_coteacher(teacher=teacher, classroom=classroom, username=" colleague ")

    assert added == colleague
    assert sorted(classroom.teachers.values_list("username", flat=True)) == ["colleague", "teacher"]


@pytest.mark.parametrize("username", ["student", "nobody-by-this-name"])
def test_only_an_existing_teacher_can_be_added_as_co_teacher(
    classroom: Classroom, username: str, teacher: User
) -> None:
    with pytest.raises(InvalidInput) as refused:
        classroom_add_coteacher(teacher=teacher, classroom=classroom, username=username)

    assert refused.value.field == "username"
    assert list(classroom.teachers.values_list("username", flat=True)) == ["teacher"]
