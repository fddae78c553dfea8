"""A child's family pages, under /children/<id>/family/ (included from people/urls.py)."""

from django.urls import path

from . import family_views as views

urlpatterns = [
    path("", views.family, name="family"),
    path("move/", views.move_record, name="family_move"),
    path("adults/new/", views.adult_new, name="family_adult_new"),
    path("adults/<int:pk>/", views.adult_edit, name="family_adult_edit"),
    path("adults/<int:pk>/relationships/new/", views.relationship_new, name="family_relationship_new"),
    path("adults/<int:pk>/factors/new/", views.factor_new, name="family_factor_new"),
    path("relationships/<int:pk>/end/", views.relationship_finish, name="family_relationship_end"),
    path("factors/<int:pk>/end/", views.factor_finish, name="family_factor_end"),
]
