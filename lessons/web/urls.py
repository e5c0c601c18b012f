from django.urls import path

from .views import catalog

app_name = "lessons"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("lessons/<slug:slug>/", catalog.lesson_detail, name="lesson_detail"),
]
