from django.urls import path

from . import views

app_name = "exploration"

urlpatterns = [
    path("<int:pk>/", views.workspace, name="workspace"),
    path("<int:pk>/starten/", views.start, name="start"),
    path("<int:pk>/fragen/", views.ask, name="ask"),
    path("<int:pk>/bericht/", views.report_generate, name="report"),
    path("bericht/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
    path("kandidat/<int:pk>/", views.candidate, name="candidate"),
    path("frage/<int:pk>/antwort/", views.question_answer, name="question_answer"),
    path("frage/<int:pk>/teilen/", views.question_share, name="question_share"),
]
