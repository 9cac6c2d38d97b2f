from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.feed, name="feed"),
    path("neu/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/termin.ics", views.event_ics, name="ics"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
    path("anmeldung/<int:pk>/abmelden/", views.cancel_registration, name="cancel_registration"),
]
