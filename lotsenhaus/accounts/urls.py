from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("api/", views.api_tokens, name="api_tokens"),
    path("api/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"),
]
