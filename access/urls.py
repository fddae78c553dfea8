from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("emergency/", views.emergency_reviews, name="emergency_reviews"),
    path("emergency/open/", views.emergency_open, name="emergency_open"),
    path("emergency/<int:pk>/review/", views.emergency_review, name="emergency_review"),
    path("admin-changes/", views.admin_changes, name="admin_changes"),
    path("admin-changes/<int:pk>/review/", views.admin_change_review_view, name="admin_change_review"),
]
