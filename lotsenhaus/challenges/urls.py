from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.board, name="board"),
    path("feed/", views.NewChallengesFeed(), name="feed"),
    path("arbeitsbereich/", views.workspace, name="workspace"),
    path("neu/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/schritt/<slug:step>/", views.step, name="step"),
    path("<int:pk>/status/", views.transition, name="transition"),
]
