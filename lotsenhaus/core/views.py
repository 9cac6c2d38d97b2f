from typing import Any

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lotsenhaus import __version__

from . import audit, health, navigation, selectors, services
from .audit_filters import AuditFilterSet
from .forms import call_service
from .htmx import render_page
from .pagination import page_of


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"cards": navigation.cards_for(request.user)})


@require_safe
@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers requests. Touches nothing else, so a slow database never gets a healthy
    worker restarted; load balancers take workers out of rotation with the readiness check below."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness (GET or HEAD): the database answers, no migration is pending and the file store answers."""
    db = health.database_ok()
    migrated = db and health.migrations_applied()
    storage = health.storage_ok()
    status = 200 if db and migrated and storage else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": "ok" if db else "unreachable",
            "migrations": "ok" if migrated else ("pending" if db else "unknown"),
            "storage": "ok" if storage else "unreachable",
            "version": __version__,
        },
        status=status,
    )


def _legal_page(request: HttpRequest, name: str, context: dict[str, Any] | None = None) -> HttpResponse:
    """Long legal texts are kept as one template per language rather than as message catalogues."""
    language = "en" if get_language().startswith("en") else "de"
    return render(request, f"core/pages/{name}.{language}.html", context or {})


def imprint(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, "imprint")


def privacy(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, "privacy")


def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/easy_language.html")


class FeedbackForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        required=False,
        help_text=gettext_lazy("Only if you would like an answer."),
    )
    page_url = forms.CharField(
        label=gettext_lazy("Which page or document is affected?"), max_length=500, required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Describe the barrier"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.feedback_submit(
                actor=request.user, client_ip=get_adapter().get_client_ip(request), **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("Thank you. Your message has been received and will be answered."))
            return redirect("accessibility")
    return _legal_page(request, "accessibility", {"form": form})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = AuditFilterSet(request.GET, object_types=selectors.audit_object_types())
    entries = selectors.audit_entries(user=request.user, filters=filters)
    page, query = page_of(request, entries, 50)
    rows = [(entry, audit.readable(entry)) for entry in page.object_list]
    context = {"form": filters.form, "page": page, "query": query, "rows": rows}
    return render_page(request, "core/audit_log.html", "core/partials/audit_table.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links (issue 17, D24); the icon is a static SVG."""
    return HttpResponsePermanentRedirect(static("lotsenhaus/favicon.svg"))
