from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("lessons.api.urls")),
    path("accounts/", include("lessons.web.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("studio/", include("lessons.web.studio_urls")),
    path("", include("lessons.web.urls")),
]

handler500 = "lessons.web.views.errors.server_error"
