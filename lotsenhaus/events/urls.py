from django.urls import path
from django.views.decorators.http import conditional_page

from lotsenhaus.core.http import open_data

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", open_data(views.feed), name="feed"),
    path("neu/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/termin.ics", conditional_page(views.event_ics), name="ics"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
    path("anmeldung/<int:pk>/abmelden/", views.cancel_registration, name="cancel_registration"),
]
