from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.search, name="search"),
    path("index/", views.index_status, name="index_status"),
    path("index/neu-aufbauen/", views.reindex, name="reindex"),
    path("benachrichtigung/", views.digest, name="digest"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
