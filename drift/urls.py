from django.urls import path

from . import views

app_name = "drift"

urlpatterns = [
    path("", views.drift_list, name="list"),
    path("children/<uuid:public_id>/", views.child_drift, name="child"),
    path("children/<uuid:public_id>/supervision/", views.supervision_list, name="supervision_list"),
    path("children/<uuid:public_id>/supervision/new/", views.supervision_new, name="supervision_new"),
    path("children/<uuid:public_id>/supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
]
