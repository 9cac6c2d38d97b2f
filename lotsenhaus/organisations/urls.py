from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("neu/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.organisation_edit, name="edit"),
    path("<int:pk>/mitglieder/", views.member_add, name="member_add"),
    path("<int:pk>/mitglieder/<int:membership_pk>/entfernen/", views.member_remove, name="member_remove"),
    path("<int:pk>/mitglieder/<int:membership_pk>/rolle/", views.member_role, name="member_role"),
]
