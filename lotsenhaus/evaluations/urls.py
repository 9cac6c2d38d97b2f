from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/starten/", views.start, name="start"),
    path("<int:pk>/freigeben/", views.step, {"action": "open"}, name="open"),
    path("<int:pk>/abschliessen/", views.step, {"action": "close"}, name="close"),
    path("<int:pk>/bogen/", views.sheet, name="sheet"),
    path("<int:pk>/matrix/", views.matrix, name="matrix"),
    path("kriterium/<int:pk>/bearbeiten/", views.criterion_edit, name="criterion_edit"),
    path("kriterium/<int:pk>/entfernen/", views.criterion_remove, name="criterion_remove"),
]
