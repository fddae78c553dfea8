from django.urls import path

from . import upload_views, views

app_name = "chronology"

urlpatterns = [
    path("children/<uuid:public_id>/chronology/", views.chronology_child, name="child"),
    path("children/<uuid:public_id>/chronology/household/", views.chronology_household, name="household"),
    path("children/<uuid:public_id>/chronology/new/", views.entry_new, name="entry_new"),
    path("children/<uuid:public_id>/chronology/<int:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("children/<uuid:public_id>/chronology/export.csv", views.export_csv, name="export_csv"),
    path("children/<uuid:public_id>/chronology/export.pdf", views.export_pdf, name="export_pdf"),
    path("chronology/upload/", upload_views.upload_start, name="upload"),
    path("chronology/upload/template.csv", upload_views.upload_template, name="upload_template"),
    path("chronology/upload/<int:pk>/", upload_views.upload_check, name="upload_check"),
    path("chronology/upload/<int:pk>/rejects.csv", upload_views.upload_rejects, name="upload_rejects"),
]
