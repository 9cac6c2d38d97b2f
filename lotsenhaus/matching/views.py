"""Global search, index progress and the weekly digest. The pages built on the engine for one need or one startup
("Passende Lösungen", "Passende Bedarfe", similar needs) are views of the needs and startups apps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.validation import require_permission
from lotsenhaus.matching import selectors, services
from lotsenhaus.matching.forms import SearchForm

PAGE_SIZE = 20
KIND_PLURALS = {
    "need": gettext_lazy("Needs"),
    "startup": gettext_lazy("Startups"),
    "solution": gettext_lazy("Solutions"),
    "article": gettext_lazy("Articles"),
}


def search(request: HttpRequest) -> HttpResponse:
    """One search box for needs, startups and solutions; facets count what each kind holds."""
    form = SearchForm(request.GET or None)
    outcome = None
    page = None
    kinds = selectors.allowed_kinds(request.user)
    if form.is_valid() and form.cleaned_data["q"].strip():
        outcome = selectors.search_hits(
            user=request.user,
            query=form.cleaned_data["q"],
            kind=form.cleaned_data.get("kind") or "",
            filters=form.filters(),
        )
        # Hits below the relevance floor stay collapsed until asked for, then follow the others (issue 17, D29).
        show_weak = request.GET.get("weak") == "1"
        shown = outcome.hits + outcome.weak if show_weak else outcome.hits
        page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
        outcome.results = selectors.explain(user=request.user, outcome=outcome, hits=list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    facets = [
        (kind, KIND_PLURALS[kind], outcome.counts.get(kind, 0) if outcome else 0, query_for(query, kind))
        for kind in kinds
    ]
    with_weak = query.copy()
    with_weak["weak"] = "1"
    context = {
        "form": form,
        "outcome": outcome,
        "page": page,
        "query": query.urlencode(),
        "facets": facets,
        "show_weak": request.GET.get("weak") == "1",
        "with_weak": with_weak.urlencode(),
    }
    return render_page(request, "matching/search.html", "matching/partials/search_results.html", context)


def query_for(query: QueryDict, kind: str) -> str:
    copy = query.copy()
    copy["kind"] = kind
    return copy.urlencode()


@login_required
def index_status(request: SignedInRequest) -> HttpResponse:
    """How far the index is: documents per kind and embeddings still being computed (polled while pending)."""
    require_permission(request.user, "matching.view_index_status")
    context = {"status": selectors.index_status()}
    return render_page(request, "matching/index_status.html", "matching/partials/index_progress.html", context)


@login_required
@require_POST
def reindex(request: SignedInRequest) -> HttpResponse:
    require_permission(request.user, "matching.reindex")
    from lotsenhaus.matching.tasks import reindex_all

    services.search_reindex_request(actor=request.user, task=reindex_all)
    messages.success(request, _("The index is being rebuilt. This page shows the progress."))
    return redirect("matching:index_status")


@login_required
@require_POST
def digest(request: SignedInRequest) -> HttpResponse:
    """Subscribe to or unsubscribe from the weekly e-mail of matching needs."""
    require_permission(request.user, "matching.subscribe_digest")
    if request.POST.get("action") == "unsubscribe":
        subscription = selectors.digest_subscription(user=request.user)
        if subscription:
            services.digest_unsubscribe(token=subscription.token)
        messages.success(request, _("You will no longer receive the weekly e-mail."))
    else:
        services.digest_subscribe(actor=request.user)
        messages.success(request, _("You will receive an e-mail each week when new matching needs are published."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")  # only back to a page of this site, never to another address
    return redirect(target)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every digest e-mail: confirm with one button, no sign-in needed."""
    done = False
    if request.method == "POST":
        services.digest_unsubscribe(token=token)
        done = True
    elif selectors.digest_subscription_by_token(token=token) is None:
        return render(request, "matching/unsubscribe.html", {"invalid": True}, status=404)
    return render(request, "matching/unsubscribe.html", {"done": done, "token": token})
