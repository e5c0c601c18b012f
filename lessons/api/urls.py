"""/api/v1/: the versioned REST API, its OpenAPI schema and the docs UI (served from our static files)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import (
    account,
    author,
    author_lesson,
    author_questions,
    grading,
    learner,
    learner_records,
    profile,
    student,
    teacher,
    teacher_students,
)

app_name = "api"

urlpatterns = [
    path("<version>/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("<version>/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("<version>/me/", account.MeView.as_view(), name="me"),
    # The profile page: the time zone, API tokens; teacher invitations
    path("<version>/me/time-zone/", profile.TimeZoneView.as_view(), name="time_zone"),
    path("<version>/me/tokens/", profile.TokensView.as_view(), name="tokens"),
    path("<version>/me/tokens/<int:token_id>/", profile.TokenView.as_view(), name="token"),
    path("<version>/invitations/<str:token>/accept/", profile.InvitationAcceptView.as_view(), name="accept"),
    path("<version>/teach/invitations/", profile.InvitationsView.as_view(), name="invitations"),
    # What each standing of a claim means
    path("<version>/standings/", learner_records.StandingsView.as_view(), name="standings"),
    # The catalogue and lessons as a student sees them
    path("<version>/lessons/", learner.CatalogView.as_view(), name="catalog"),
    path("<version>/lessons/<slug:slug>/", learner.LessonView.as_view(), name="lesson"),
    # Self-study, the review queue, progress
    path("<version>/lessons/<slug:slug>/self-study/", learner.SelfStudyView.as_view(), name="self_study"),
    path(
        "<version>/lessons/<slug:slug>/self-study/answers/<slug:question_key>/",
        learner.SelfStudyAnswerView.as_view(),
        name="self_study_answer",
    ),
    path(
        "<version>/lessons/<slug:slug>/self-study/finish/",
        learner.SelfStudyFinishView.as_view(),
        name="self_study_finish",
    ),
    path(
        "<version>/self-study/attempts/<int:attempt_id>/",
        learner_records.SelfStudyAttemptView.as_view(),
        name="self_study_attempt",
    ),
    path("<version>/review/", learner.ReviewQueueView.as_view(), name="review"),
    path("<version>/review/<int:item_id>/answer/", learner.ReviewAnswerView.as_view(), name="review_answer"),
    path("<version>/progress/", learner.ProgressView.as_view(), name="progress"),
    path(
        "<version>/progress/actors/<slug:slug>/",
        learner_records.ActorProgressView.as_view(),
        name="progress_actor",
    ),
    path(
        "<version>/progress/treaties/<slug:slug>/",
        learner_records.TreatyProgressView.as_view(),
        name="progress_treaty",
    ),
    # A student's side of classes
    path("<version>/classes/", learner_records.MyClassesView.as_view(), name="my_classes"),
    path("<version>/classes/join/", student.JoinView.as_view(), name="join"),
    path("<version>/assignments/", student.MyAssignmentsView.as_view(), name="my_assignments"),
    path("<version>/assignments/<int:assignment_id>/", student.AssignmentView.as_view(), name="assignment"),
    path(
        "<version>/assignments/<int:assignment_id>/attempts/",
        student.AttemptStartView.as_view(),
        name="attempt_start",
    ),
    path("<version>/attempts/<int:attempt_id>/", student.AttemptView.as_view(), name="attempt"),
    path(
        "<version>/attempts/<int:attempt_id>/answers/<slug:question_key>/",
        student.AnswerSaveView.as_view(),
        name="answer_save",
    ),
    path("<version>/attempts/<int:attempt_id>/submit/", student.SubmitView.as_view(), name="submit"),
    path("<version>/attempts/<int:attempt_id>/results/", student.ResultsView.as_view(), name="results"),
    # A teacher's side: classes, roster, co-teachers, assignments, the gradebook
    path("<version>/teach/classes/", teacher.TeacherClassesView.as_view(), name="teacher_classes"),
    path(
        "<version>/teach/classes/<int:classroom_id>/", teacher.ClassroomView.as_view(), name="teacher_class"
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/code/", teacher.JoinCodeView.as_view(), name="join_code"
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/archive/", teacher.ArchiveView.as_view(), name="archive"
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/coteachers/",
        teacher.CoteachersView.as_view(),
        name="coteachers",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/coteachers/<int:teacher_id>/",
        teacher.CoteacherView.as_view(),
        name="coteacher",
    ),
    path("<version>/teach/classes/<int:classroom_id>/students/", teacher.RosterView.as_view(), name="roster"),
    path(
        "<version>/teach/classes/<int:classroom_id>/students/<int:student_id>/",
        teacher.StudentView.as_view(),
        name="class_student",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/students/<int:student_id>/report/",
        teacher_students.StudentReportView.as_view(),
        name="student_report",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/students/<int:student_id>/accommodations/",
        teacher_students.AccommodationsView.as_view(),
        name="accommodations",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/lti-roster/",
        teacher_students.LtiRosterSyncView.as_view(),
        name="lti_roster",
    ),
    path(
        "<version>/teach/attempts/<int:attempt_id>/",
        teacher_students.AttemptReviewView.as_view(),
        name="attempt_review",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/students/<int:student_id>/extra-time/",
        teacher.ExtraTimeView.as_view(),
        name="extra_time",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/assignments/",
        teacher.ClassAssignmentsView.as_view(),
        name="class_assignments",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/gradebook/",
        teacher.GradebookView.as_view(),
        name="gradebook",
    ),
    path(
        "<version>/teach/classes/<int:classroom_id>/gradebook.csv",
        teacher.GradebookCsvView.as_view(),
        name="gradebook_csv",
    ),
    # A teacher's side of one assignment: results, extensions, grading, release, regrade, analysis
    path(
        "<version>/teach/assignments/<int:assignment_id>/",
        grading.AssignmentResultsView.as_view(),
        name="assignment_results",
    ),
    path(
        "<version>/teach/assignments/<int:assignment_id>/extensions/<int:student_id>/",
        teacher.ExtensionView.as_view(),
        name="extension",
    ),
    path(
        "<version>/teach/assignments/<int:assignment_id>/grading/",
        grading.GradingQueueView.as_view(),
        name="grading_queue",
    ),
    path("<version>/teach/responses/<int:response_id>/grade/", grading.GradeView.as_view(), name="grade"),
    path(
        "<version>/teach/assignments/<int:assignment_id>/release/",
        grading.ReleaseView.as_view(),
        name="release",
    ),
    path(
        "<version>/teach/assignments/<int:assignment_id>/regrade/",
        grading.RegradeView.as_view(),
        name="regrade",
    ),
    path(
        "<version>/teach/assignments/<int:assignment_id>/analysis/",
        grading.ItemAnalysisView.as_view(),
        name="item_analysis",
    ),
    # An author's side: the lessons they own or co-author, their files, revisions and changes
    path("<version>/author/lessons/", author.AuthoredLessonsView.as_view(), name="author_lessons"),
    path("<version>/author/lessons/import/", author.ImportView.as_view(), name="author_import"),
    path(
        "<version>/author/lessons/import-questions/",
        author_questions.QuestionsImportView.as_view(),
        name="author_import_questions",
    ),
    path(
        "<version>/author/lessons/from-article/",
        author_lesson.NewLessonView.as_view(),
        name="author_new_lesson",
    ),
    path("<version>/author/sentences/", author_lesson.SplitView.as_view(), name="author_split"),
    path("<version>/author/actors/", author_lesson.SharedActorsView.as_view(), name="author_shared_actors"),
    path(
        "<version>/author/treaties/",
        author_lesson.SharedTreatiesView.as_view(),
        name="author_shared_treaties",
    ),
    path(
        "<version>/author/sources/", author_lesson.SharedSourcesView.as_view(), name="author_shared_sources"
    ),
    path("<version>/author/lessons/<slug:slug>/", author.AuthoredLessonView.as_view(), name="author_lesson"),
    path(
        "<version>/author/lessons/<slug:slug>/file/",
        author.LessonFileView.as_view(),
        name="author_lesson_file",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/revisions/",
        author.RevisionsView.as_view(),
        name="author_revisions",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/revisions/<int:number>/",
        author.RevisionView.as_view(),
        name="author_revision",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/revisions/<int:old>/changes/<int:new>/",
        author.RevisionChangesView.as_view(),
        name="author_revision_changes",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/publish/", author.PublishView.as_view(), name="author_publish"
    ),
    path(
        "<version>/author/lessons/<slug:slug>/duplicate/",
        author.DuplicateView.as_view(),
        name="author_duplicate",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/archive/",
        author.LessonArchiveView.as_view(),
        name="author_archive",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/coauthors/",
        author.CoAuthorsView.as_view(),
        name="author_coauthors",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/coauthors/<int:user_id>/",
        author.CoAuthorView.as_view(),
        name="author_coauthor",
    ),
    # An author's side of a lesson's questions: the draft's questions, the preview, other tools' formats
    path(
        "<version>/author/lessons/<slug:slug>/questions/",
        author_questions.QuestionsView.as_view(),
        name="author_questions",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/questions/<slug:question_key>/",
        author_questions.QuestionView.as_view(),
        name="author_question",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/questions/<slug:question_key>/move/",
        author_questions.QuestionMoveView.as_view(),
        name="author_question_move",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/questions/<slug:question_key>/duplicate/",
        author_questions.QuestionDuplicateView.as_view(),
        name="author_question_duplicate",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/preview/<slug:question_key>/",
        author_questions.PreviewAnswerView.as_view(),
        name="author_preview_answer",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/export/",
        author_questions.ExportsView.as_view(),
        name="author_exports",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/export/<slug:file_format>/",
        author_questions.ExportView.as_view(),
        name="author_export",
    ),
    # An author's side of a lesson's own parts: overview, article, actors, treaties, claims, settings
    path(
        "<version>/author/lessons/<slug:slug>/overview/",
        author_lesson.OverviewView.as_view(),
        name="author_overview",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/article/",
        author_lesson.ArticleView.as_view(),
        name="author_article",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/actors/",
        author_lesson.ActorsView.as_view(),
        name="author_actors",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/actors/<slug:actor>/",
        author_lesson.ActorView.as_view(),
        name="author_actor",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/treaties/",
        author_lesson.TreatiesView.as_view(),
        name="author_treaties",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/treaties/<slug:treaty>/",
        author_lesson.TreatyView.as_view(),
        name="author_treaty",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/names/",
        author_lesson.NamesView.as_view(),
        name="author_names",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/claims/",
        author_lesson.ClaimsView.as_view(),
        name="author_claims",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/claims/<slug:claim>/",
        author_lesson.ClaimView.as_view(),
        name="author_claim",
    ),
    path(
        "<version>/author/lessons/<slug:slug>/settings/",
        author_lesson.SettingsView.as_view(),
        name="author_settings",
    ),
]
