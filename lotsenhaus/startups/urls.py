from django.urls import path

from . import views

app_name = "startups"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("neu/", views.scout, name="scout"),
    path("loesungen/export/", views.solutions_export, name="solutions_export"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/passende-bedarfe/", views.matches, name="matches"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/pruefen/", views.verify, name="verify"),
    path("<int:pk>/uebernehmen/", views.claim, name="claim"),
    path("<int:pk>/loesungen/neu/", views.solution_edit, name="solution_create"),
    path("<int:pk>/loesungen/<int:solution_pk>/", views.solution_edit, name="solution_edit"),
    path("<int:pk>/loesungen/<int:solution_pk>/loeschen/", views.solution_delete, name="solution_delete"),
    path("<int:pk>/loesungen/<int:solution_pk>/bilder/", views.image_add, name="image_add"),
    path("<int:pk>/bilder/<int:image_pk>/entfernen/", views.image_remove, name="image_remove"),
    path("bild/<int:image_pk>/", views.image, name="image"),
    path("<int:pk>/<slug:kind>/neu/", views.item_add, name="item_add"),
    path("<int:pk>/<slug:kind>/<int:item_pk>/entfernen/", views.item_remove, name="item_remove"),
]
