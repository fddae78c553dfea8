from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("new/<uuid:public_id>/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
]
