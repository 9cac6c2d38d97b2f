from django.urls import path

from . import views

app_name = "pilots"

# Mounted at the root: the portfolio is a page of its own, not a part of the pilot list.
urlpatterns = [
    path("piloten/", views.pilot_list, name="list"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("piloten/bedarf/<int:pk>/", views.for_need, name="for_need"),
    path("piloten/<int:pk>/", views.detail, name="detail"),
    path("piloten/<int:pk>/starten/", views.start, name="start"),
    path("piloten/meilenstein/<int:pk>/erledigt/", views.milestone_done, name="milestone_done"),
    path("piloten/risiko/<int:pk>/erledigt/", views.risk_resolve, name="risk_resolve"),
]
