from django.urls import path

from . import views

app_name = "plans"

PLAN = "<uuid:public_id>/plans/<uuid:plan_id>/"

urlpatterns = [
    path("<uuid:public_id>/plans/", views.plan_list, name="list"),
    path("<uuid:public_id>/plans/new/", views.plan_create, name="create"),
    path(PLAN, views.plan_detail, name="detail"),
    path(PLAN + "edit/", views.plan_edit, name="edit"),
    path(PLAN + "meetings/new/", views.meeting_create, name="meeting_create"),
    path(PLAN + "meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(PLAN + "meetings/<uuid:meeting_id>/feedback/", views.feedback_create, name="feedback_create"),
    path(PLAN + "reviews/new/", views.review_create, name="review_create"),
    path(PLAN + "voice/new/", views.voice_create, name="voice_create"),
]
