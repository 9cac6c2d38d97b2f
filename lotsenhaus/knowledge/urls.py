from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("redaktion/", views.workspace, name="workspace"),
    path("neu/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
    path("expertise/", views.experts, name="experts"),
    path("expertise/mein-profil/", views.expert_profile_edit, name="expert_edit"),
    path("expertise/<int:pk>/", views.expert_detail, name="expert"),
]
