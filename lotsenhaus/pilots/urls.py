from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("bedarf/<int:pk>/", views.for_need, name="for_need"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/starten/", views.start, name="start"),
    path("meilenstein/<int:pk>/erledigt/", views.milestone_done, name="milestone_done"),
    path("risiko/<int:pk>/erledigt/", views.risk_resolve, name="risk_resolve"),
]
