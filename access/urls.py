from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("emergency/", views.emergency_reviews, name="emergency_reviews"),
    path("emergency/open/", views.emergency_open, name="emergency_open"),
    path("emergency/<int:pk>/review/", views.emergency_review, name="emergency_review"),
]
