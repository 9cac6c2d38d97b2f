from django.urls import path

from lotsenhaus.core.http import open_data

from . import views

app_name = "needs"

urlpatterns = [
    path("", views.board, name="board"),
    path("feed/", open_data(views.NewNeedsFeed()), name="feed"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("arbeitsbereich/", views.workspace, name="workspace"),
    path("neu/", views.create, name="create"),
    path("aufrufe/", views.calls, name="calls"),
    path("aufrufe/<int:pk>/", views.call, name="call"),
    path("aufrufe/<int:pk>/veroeffentlichen/", views.call_publish, name="call_publish"),
    path("aehnliche/", views.similar, name="similar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/passende-loesungen/", views.matches, name="matches"),
    path("<int:pk>/schritt/<slug:step>/", views.step, name="step"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/antwort/", views.answer, name="answer"),
    path("<int:pk>/antworten/export/", views.answers_export, name="answers_export"),
    path("<int:pk>/antwort/zurueckziehen/", views.answer_withdraw, name="answer_withdraw"),
    path("anhang/<int:pk>/", views.attachment_download, name="attachment"),
    path("anhang/<int:pk>/entfernen/", views.attachment_remove, name="attachment_remove"),
]
