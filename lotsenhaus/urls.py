from django.contrib import admin
from django.urls import include, path

from lotsenhaus.core import views as core_views
from lotsenhaus.core.metrics import metrics_view
from lotsenhaus.procurement import views as procurement_views

from .api import api

admin.site.site_header = "Lotsenhaus"
admin.site.site_title = "Lotsenhaus"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("start/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    path("metrics", metrics_view, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says (issue 17, D24).
    path("favicon.ico", core_views.favicon),
    path("impressum/", core_views.imprint, name="imprint"),
    path("datenschutz/", core_views.privacy, name="privacy"),
    path("barrierefreiheit/", core_views.accessibility, name="accessibility"),
    path("leichte-sprache/", core_views.easy_language, name="easy_language"),
    path("organisationen/", include("lotsenhaus.organisations.urls")),
    path("bedarfe/", include("lotsenhaus.needs.urls")),
    path("startups/", include("lotsenhaus.startups.urls")),
    path("ki-register/", include("lotsenhaus.airegister.urls")),
    path("suche/", include("lotsenhaus.matching.urls")),
    path("markterkundung/", include("lotsenhaus.exploration.urls")),
    path("bewertung/", include("lotsenhaus.evaluations.urls")),
    path("", include("lotsenhaus.pilots.urls")),
    path("vergabe/", include("lotsenhaus.procurement.urls")),
    path("rechtsquellen/", procurement_views.legal_sources, name="legal_sources"),
    path("benachrichtigungen/", include("lotsenhaus.notifications.urls")),
    path("wissen/", include("lotsenhaus.knowledge.urls")),
    path("veranstaltungen/", include("lotsenhaus.events.urls")),
    path("begleitprogramm/", include("lotsenhaus.advisory.urls")),
    path("konto/", include("lotsenhaus.accounts.urls")),
    path("verwaltung/", include("lotsenhaus.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
