from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest, signed_in
from lotsenhaus.airegister.selectors import workspace as use_case_workspace
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.core.pagination import page_of
from lotsenhaus.evaluations.selectors import evaluations_open
from lotsenhaus.matching.selectors import ranker
from lotsenhaus.pilots.selectors import pilot_get

from . import selectors, services
from .filters import ArticleFilterSet, ExpertFilterSet
from .forms import (
    ArticleForm,
    ExpertProfileForm,
    InviteAssessmentForm,
    InviteEvaluationForm,
    ReturnForm,
)
from .markdown import render_markdown
from .models import ArticleKind, ArticleStatus, PublicField, Visibility


def article_list(request: HttpRequest) -> HttpResponse:
    filters = ArticleFilterSet(
        request.GET, tags=selectors.all_tags(user=request.user), ranker=ranker(user=request.user, kind="article")
    )
    page, query = page_of(request, selectors.articles_published(user=request.user, filters=filters), 20)
    context = {
        "page": page,
        "query": query,
        "form": filters.form,
        "can_write": request.user.has_perm("knowledge.add_article"),
    }
    return render_page(request, "knowledge/list.html", "knowledge/partials/results.html", context)


@login_required
def workspace(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("knowledge.add_article"):
        raise PermissionDenied
    articles = selectors.articles_workspace(user=request.user)
    return render(request, "knowledge/workspace.html", {"articles": articles})


def _pilot_initial(request: HttpRequest) -> dict[str, Any]:
    """A pilot's decision asks for a lessons-learned article: pre-fill it from the pilot."""
    pilot_id = request.GET.get("pilot", "")
    if not pilot_id.isdigit():
        return {}
    pilot = pilot_get(user=request.user, pk=int(pilot_id))
    return {
        "kind": ArticleKind.LESSONS_LEARNED,
        "title": _("Lessons learned: %(need)s") % {"need": pilot.need.title},
        "summary": pilot.goal[:400],
        "body": pilot.lessons_learned,
        "visibility": Visibility.INTERNAL,
        "pilot": pilot.pk,
        "needs": [pilot.need_id],
        "startups": [pilot.startup_id],
        "tags": [_("Pilot")],
    }


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("knowledge.add_article"):
        raise PermissionDenied
    initial = _pilot_initial(request)
    if initial and (existing := selectors.article_for_pilot(pilot_id=initial["pilot"])):
        messages.info(request, _("There already is a lessons-learned article for this pilot."))
        return redirect("knowledge:detail", existing.pk)
    builders = {"article": lambda data, files: ArticleForm(data, user=request.user, initial=initial, prefix="article")}
    handlers = {"article": lambda f: services.article_create(actor=request.user, **f.changes())}
    success = {"article": gettext_lazy("The article has been saved as a draft.")}
    forms, response = handle_forms(
        request, builders, handlers, success, lambda a: reverse("knowledge:detail", args=[a.pk])
    )
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/edit.html", {"forms": forms, "article": None}, status=status)


@login_required
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    article = selectors.article_get(user=request.user, pk=pk)
    if not request.user.has_perm("knowledge.change_article", article):
        raise PermissionDenied
    builders = {"article": lambda data, files: ArticleForm(data, user=request.user, instance=article, prefix="article")}
    handlers = {
        "article": lambda f: services.article_update(
            actor=request.user, article=article, version=f.cleaned_data["version"], **f.changes()
        )
    }
    success = {"article": gettext_lazy("The article has been saved.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("knowledge:detail", args=[pk]))
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/edit.html", {"forms": forms, "article": article}, status=status)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get(user=request.user, pk=pk)
    can_working = request.user.has_perm("knowledge.view_working_copy", article)
    working = can_working and (article.published is None or request.GET.get("version") == "working")
    shown = article if working or article.published is None else article.published
    builders = {"return": lambda data, files: ReturnForm(data, prefix="return")}
    handlers = {
        "return": lambda f: services.article_return(actor=signed_in(request.user), article=article, **f.cleaned_data)
    }
    success = {"return": gettext_lazy("The article has gone back to its author.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("knowledge:detail", args=[pk]))
    if response is not None:
        return response
    context = {
        "article": article,
        "shown": shown,
        "working": working,
        "html": render_markdown(shown.body),
        "links": selectors.article_links(user=request.user, article=article, working=working),
        "versions": selectors.article_versions(article=article) if can_working else [],
        "can_working": can_working,
        "has_unpublished_changes": can_working
        and article.published is not None
        and article.status != ArticleStatus.PUBLISHED,
        "forms": forms,
        "perms_obj": {
            "change": request.user.has_perm("knowledge.change_article", article),
            "submit": request.user.has_perm("knowledge.submit_article", article),
            "review": request.user.has_perm("knowledge.review_article", article),
            "withdraw": request.user.has_perm("knowledge.withdraw_article", article),
        },
        "can_see_use_case_workspace": request.user.has_perm("airegister.use_workspace"),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/detail.html", context, status=status)


ACTIONS = {
    "submit": (services.article_submit, gettext_lazy("The article has been sent for review.")),
    "publish": (services.article_publish, gettext_lazy("The article has been published.")),
    "withdraw": (services.article_withdraw, gettext_lazy("The article has been withdrawn.")),
}


@login_required
@require_POST
def action(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    article = selectors.article_get(user=request.user, pk=pk)
    if name not in ACTIONS:
        raise PermissionDenied
    service, success = ACTIONS[name]
    return act_and_return(
        request,
        lambda: service(actor=request.user, article=article),
        success,
        reverse("knowledge:detail", args=[pk]),
    )


# --- Expert directory -----------------------------------------------------------------------------------


def experts(request: HttpRequest) -> HttpResponse:
    filters = ExpertFilterSet(request.GET, full=request.user.has_perm("knowledge.view_full_expert_profiles"))
    page, query = page_of(request, selectors.expert_directory(user=request.user, filters=filters), 24)
    context = {
        "form": filters.form,
        "page": page,
        "query": query,
        "full": request.user.has_perm("knowledge.view_full_expert_profiles"),
        "own": selectors.own_expert_profile(user=request.user),
        "can_have_profile": request.user.has_perm("knowledge.have_expert_profile"),
    }
    return render_page(request, "knowledge/experts.html", "knowledge/partials/expert_results.html", context)


def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.expert_get(user=request.user, pk=pk)
    can_invite = request.user.has_perm("knowledge.invite_expert")
    builders = {
        "evaluation": lambda data, files: InviteEvaluationForm(
            data, evaluations=evaluations_open(user=request.user), prefix="evaluation"
        ),
        "assessment": lambda data, files: InviteAssessmentForm(
            data, use_cases=use_case_workspace(user=request.user).order_by("name"), prefix="assessment"
        ),
    }
    handlers = {
        "evaluation": lambda f: services.expert_invite_to_evaluation(
            actor=signed_in(request.user), profile=profile, evaluation=f.cleaned_data["evaluation"]
        ),
        "assessment": lambda f: services.expert_invite_to_assessment(
            actor=signed_in(request.user), profile=profile, **f.cleaned_data
        ),
    }
    success = {
        "evaluation": gettext_lazy("The expert has been invited to the evaluation."),
        "assessment": gettext_lazy("The expert has been asked for an assessment."),
    }
    if request.method == "POST" and not can_invite:
        raise PermissionDenied
    forms, response = handle_forms(request, builders, handlers, success, reverse("knowledge:expert", args=[pk]))
    if response is not None:
        return response
    full = request.user.has_perm("knowledge.view_full_expert_profiles")
    shown = set(PublicField.values) if full else set(profile.public_fields)
    context = {"profile": profile, "shown": shown, "full": full, "can_invite": can_invite, "forms": forms}
    return render(request, "knowledge/expert_detail.html", context, status=422 if request.method == "POST" else 200)


@login_required
def expert_profile_edit(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("knowledge.have_expert_profile"):
        raise PermissionDenied
    profile = selectors.own_expert_profile(user=request.user)
    builders = {
        "profile": lambda data, files: ExpertProfileForm(data, user=request.user, instance=profile, prefix="profile")
    }
    handlers = {
        "profile": lambda f: services.expert_profile_save(
            actor=request.user, version=f.cleaned_data.get("version"), **f.changes()
        )
    }
    success = {"profile": gettext_lazy("Your profile has been saved.")}
    forms, response = handle_forms(
        request, builders, handlers, success, lambda p: reverse("knowledge:expert", args=[p.pk])
    )
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/expert_edit.html", {"forms": forms, "profile": profile}, status=status)
