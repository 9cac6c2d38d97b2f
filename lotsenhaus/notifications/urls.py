from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("gelesen/", views.mark_all_read, name="read_all"),
    path("<int:pk>/oeffnen/", views.mark_read, name="read"),
    path("einstellungen/", views.preferences, name="preferences"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
