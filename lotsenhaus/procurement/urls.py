from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("wegweiser/", views.advisor, name="advisor"),
    path("wertgrenzen/", views.limits, name="limits"),
    path("wertgrenzen/<int:pk>/", views.limit_edit, name="limit_edit"),
    path(
        "wertgrenzen/aenderungen/<int:pk>/<str:decision>/",
        views.change_decide,
        name="change_decide",
    ),
]
