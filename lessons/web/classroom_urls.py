"""Classroom routes: the teacher's side under teach/, the student's under classes/ and assignments/."""

from django.urls import path

from .views import accommodations, classes, gradebook, invitations, student_assignments

urlpatterns = [
    # Teachers: classes, rosters, assignments.
    path("teach/", classes.dashboard, name="teacher_dashboard"),
    path("teach/classes/new/", classes.classroom_new, name="classroom_new"),
    path("teach/invite/", invitations.invite, name="teacher_invite"),
    path("teach/classes/<int:classroom_id>/", classes.classroom_detail, name="classroom_detail"),
    path("teach/classes/<int:classroom_id>/code/", classes.join_code, name="classroom_join_code"),
    path("teach/classes/<int:classroom_id>/archive/", classes.archive, name="classroom_archive"),
    path(
        "teach/classes/<int:classroom_id>/coteachers/", classes.coteacher_add, name="classroom_coteacher_add"
    ),
    path(
        "teach/classes/<int:classroom_id>/students/import/", classes.students_import, name="students_import"
    ),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/remove/",
        classes.student_remove,
        name="student_remove",
    ),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/accommodations/",
        accommodations.student_page,
        name="student_accommodations",
    ),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/extensions/<int:assignment_id>/",
        accommodations.extension,
        name="student_extension",
    ),
    path("teach/classes/<int:classroom_id>/assignments/new/", classes.assignment_new, name="assignment_new"),
    # Teachers: results, grading, analysis.
    path("teach/classes/<int:classroom_id>/gradebook/", gradebook.gradebook, name="gradebook"),
    path("teach/classes/<int:classroom_id>/gradebook.csv", gradebook.gradebook_csv, name="gradebook_csv"),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/",
        gradebook.student_report,
        name="student_report",
    ),
    path("teach/assignments/<int:assignment_id>/", gradebook.assignment_results, name="assignment_results"),
    path("teach/assignments/<int:assignment_id>/analysis/", gradebook.item_analysis, name="item_analysis"),
    path("teach/assignments/<int:assignment_id>/grading/", gradebook.grading_queue, name="grading_queue"),
    path(
        "teach/assignments/<int:assignment_id>/release/", gradebook.release_feedback, name="release_feedback"
    ),
    path("teach/assignments/<int:assignment_id>/regrade/", gradebook.regrade, name="regrade"),
    path("teach/responses/<int:response_id>/grade/", gradebook.grade_response, name="grade_response"),
    path("teach/attempts/<int:attempt_id>/", gradebook.attempt_review, name="attempt_review"),
    # Students: join a class, take assignments.
    path("classes/", student_assignments.my_classes, name="my_classes"),
    path("classes/join/", student_assignments.join, name="join_class"),
    path("assignments/<int:assignment_id>/", student_assignments.assignment_home, name="assignment_home"),
    path("assignments/<int:assignment_id>/take/", student_assignments.take, name="assignment_take"),
    path(
        "assignments/<int:assignment_id>/save/<slug:question_key>/",
        student_assignments.save_answer,
        name="assignment_save",
    ),
    path("assignments/<int:assignment_id>/submit/", student_assignments.submit, name="assignment_submit"),
    path(
        "assignments/<int:assignment_id>/results/",
        student_assignments.results,
        name="assignment_results_student",
    ),
]
