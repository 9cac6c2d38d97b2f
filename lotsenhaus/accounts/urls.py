from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("daten/", views.personal_data, name="personal_data"),
    path("daten/export.json", views.personal_data_export, name="personal_data_export"),
    path("api/", views.api_tokens, name="api_tokens"),
    path("api/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"),
]
