from django.urls import include, path

from access import views as access_views
from assessments import views as assessment_views

from . import views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("<uuid:public_id>/", views.child_detail, name="detail"),
    path("<uuid:public_id>/access-log/", access_views.access_log, name="access_log"),
    path("<uuid:public_id>/screening/", assessment_views.screening_new, name="screening_new"),
    path("<uuid:public_id>/screening/<int:pk>/", assessment_views.screening_detail, name="screening_detail"),
    path("<uuid:public_id>/family/", include("people.family_urls")),
]
