from django.urls import path

from . import assessment_views, profile_views

app_name = "assessments"

urlpatterns = [
    path("children/<uuid:public_id>/neglect-profile/", profile_views.neglect_profile, name="profile"),
    path("children/<uuid:public_id>/assessments/new/", assessment_views.assessment_start, name="start"),
    path("children/<uuid:public_id>/prenatal/", profile_views.prenatal_new, name="prenatal_new"),
    path("children/<uuid:public_id>/prenatal/<int:pk>/", profile_views.prenatal_detail, name="prenatal_detail"),
    path("assessments/<uuid:public_id>/", assessment_views.assessment_detail, name="detail"),
    path("assessments/<uuid:public_id>/domains/<slug:domain_key>/", assessment_views.assessment_domain, name="domain"),
    path(
        "assessments/<uuid:public_id>/lived-experience/",
        assessment_views.assessment_lived_experience,
        name="lived_experience",
    ),
    path("assessments/<uuid:public_id>/factors/", assessment_views.assessment_factors, name="factors"),
    path("assessments/<uuid:public_id>/submit/", assessment_views.assessment_submit, name="submit"),
    path("assessments/<uuid:public_id>/sign-off/", assessment_views.assessment_sign_off, name="sign_off"),
    path("assessments/<uuid:public_id>/addenda/", assessment_views.assessment_addendum, name="addendum"),
    path(
        "assessments/<uuid:public_id>/children/<uuid:child_id>/decision/",
        assessment_views.level_decision,
        name="decision",
    ),
]
