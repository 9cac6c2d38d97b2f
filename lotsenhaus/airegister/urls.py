from django.urls import path

from lotsenhaus.core.http import open_data

from . import views

app_name = "airegister"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("export.json", open_data(views.export), {"fmt": "json"}, name="export_json"),
    path("export.csv", open_data(views.export), {"fmt": "csv"}, name="export_csv"),
    path("algoritmeregister.json", open_data(views.export_algoritmeregister), name="export_algoritmeregister"),
    path("atrs.json", open_data(views.export_atrs), name="export_atrs"),
    path("arbeitsbereich/", views.workspace, name="workspace"),
    path("arbeitsbereich/neu/", views.create, name="create"),
    path("arbeitsbereich/<int:pk>/", views.detail, name="detail"),
    path("arbeitsbereich/<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("arbeitsbereich/<int:pk>/einschaetzung/", views.assess, name="assess"),
    path("arbeitsbereich/<int:pk>/status/", views.transition, name="transition"),
    path("arbeitsbereich/<int:pk>/einschaetzung/<int:assessment_pk>/freigeben/", views.sign_off, name="sign_off"),
    path("arbeitsbereich/<int:pk>/pflichten/<slug:duty>/", views.duty_check, name="duty_check"),
    path("arbeitsbereich/<int:pk>/leserpost/<int:message_pk>/", views.reader_answer, name="reader_answer"),
    path("dcat.jsonld", open_data(views.dcat), name="dcat"),
    path("<str:public_id>/", views.public_detail, name="public_detail"),
    path("<str:public_id>/version/<int:number>/", views.public_detail, name="public_version"),
]
