from django.urls import include, path

from access import views as access_views
from assessments import views as assessment_views

from . import child_views, merge_views, views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    # Finding, registering and changing a child (people/child_views.py), kept together.
    path("register/", child_views.register_search, name="register_search"),
    path("register/details/", child_views.register, name="register"),
    path("<uuid:public_id>/edit/", child_views.child_edit, name="edit"),
    path("<uuid:public_id>/birth/", child_views.child_birth, name="birth"),
    path("<uuid:public_id>/history/", child_views.child_history, name="history"),
    path("<uuid:public_id>/", views.child_detail, name="detail"),
    path("<uuid:public_id>/access-log/", access_views.access_log, name="access_log"),
    path("<uuid:public_id>/screening/", assessment_views.screening_new, name="screening_new"),
    path("<uuid:public_id>/screening/<int:pk>/", assessment_views.screening_detail, name="screening_detail"),
    # Merging two records of one child (people/merge_views.py)
    path("<uuid:public_id>/merge/", merge_views.propose, name="merge_propose"),
    path("merges/", merge_views.pending, name="merges"),
    path("merges/<int:pk>/", merge_views.review, name="merge_review"),
    path("<uuid:public_id>/family/", include("people.family_urls")),
]
