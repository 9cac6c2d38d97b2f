from django.urls import path

from . import views

app_name = "advisory"

urlpatterns = [
    path("", views.enrolment_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
