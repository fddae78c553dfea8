from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from web import views as web_views

admin.site.site_header = "Sightline administration"
admin.site.site_title = "Sightline administration"

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("children/", include("people.urls")),
    path("children/", include("plans.urls")),
    path("access/", include("access.urls")),
    path("", include("chronology.urls")),
    path("frontdoor/", include("frontdoor.urls")),
    path("signals/", include("signals.urls")),
    path("drift/", include("drift.urls")),
    path("notifications/", include("reminders.urls")),
    path("demo/", include("demo.urls")),
    path("", include("assessments.urls")),
    # One sign-in for the whole service, with its second factor: the admin does not have its own.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

# The service's own error pages (web/errors.py); CSRF_FAILURE_VIEW in settings is the fifth.
handler400 = "web.errors.bad_request"
handler403 = "web.errors.permission_denied"
handler404 = "web.errors.page_not_found"
handler500 = "web.errors.server_error"
