from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pages import handle_forms

from . import selectors, services
from .filters import EnrolmentFilterSet
from .forms import AdmitForm, DoneForm, EnrolmentForm, MilestoneForm, SessionForm
from .progress import progress


@login_required
def enrolment_list(request: SignedInRequest) -> HttpResponse:
    """The unit's overview of the programme (who is stuck first); a startup sees its own enrolment."""
    can_manage = request.user.has_perm("advisory.manage")
    filters = EnrolmentFilterSet(request.GET)
    items = [(e, progress(e)) for e in selectors.enrolments(user=request.user, filters=filters)]
    items.sort(key=lambda item: (not item[1].stuck, item[0].startup.organisation.name))
    evidence = selectors.evidence(startup_ids=[e.startup_id for e, _ in items])
    builders = {"admit": lambda data, files: AdmitForm(data, prefix="admit")}
    handlers = {"admit": lambda f: services.enrolment_admit(actor=request.user, **f.cleaned_data)}
    success = {"admit": gettext_lazy("The startup has been admitted with the default plan of milestones.")}
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    forms, response = handle_forms(
        request, builders, handlers, success, lambda e: reverse("advisory:detail", args=[e.pk])
    )
    if response is not None:
        return response
    context = {
        "items": [(e, p, evidence[e.startup_id]) for e, p in items],
        "stuck_count": sum(1 for _, p in items if p.stuck),
        "can_manage": can_manage,
        "forms": forms if can_manage else {},
        "filters": filters,
        "filtered": any(filters.form.cleaned_data.values()) if filters.is_valid() else False,
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "advisory/list.html", "advisory/partials/results.html", context, status=status)


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    can_manage = request.user.has_perm("advisory.manage")
    can_complete = request.user.has_perm("advisory.complete_milestone", enrolment)
    builders = {
        "enrolment": lambda data, files: EnrolmentForm(data, instance=enrolment, prefix="enrolment"),
        "milestone": lambda data, files: MilestoneForm(data, prefix="milestone"),
        "session": lambda data, files: SessionForm(data, prefix="session"),
        "done": lambda data, files: DoneForm(data, prefix="done"),
    }
    handlers = {
        "enrolment": lambda f: services.enrolment_update(
            actor=request.user, enrolment=enrolment, version=f.cleaned_data["version"], **f.changes()
        ),
        "milestone": lambda f: services.milestone_add(actor=request.user, enrolment=enrolment, **f.cleaned_data),
        "session": lambda f: services.session_add(actor=request.user, enrolment=enrolment, **f.cleaned_data),
        "done": lambda f: services.milestone_complete(
            actor=request.user,
            milestone=selectors.milestone_get(user=request.user, pk=f.cleaned_data["milestone"]),
            done_on=f.cleaned_data["done_on"],
            note=f.cleaned_data["note"],
        ),
    }
    success = {
        "enrolment": gettext_lazy("The enrolment has been saved."),
        "milestone": gettext_lazy("The milestone has been added."),
        "session": gettext_lazy("The session notes have been saved; the startup can read them."),
        "done": gettext_lazy("The milestone is marked as done."),
    }
    posted = request.POST.get("form")
    if request.method == "POST" and not (can_manage or (posted == "done" and can_complete)):
        raise PermissionDenied
    forms, response = handle_forms(request, builders, handlers, success, reverse("advisory:detail", args=[pk]))
    if response is not None:
        return response
    context = {
        "enrolment": enrolment,
        "progress": progress(enrolment),
        "evidence": selectors.evidence(startup_ids=[enrolment.startup_id])[enrolment.startup_id],
        "milestones": selectors.milestones(enrolment=enrolment),
        "sessions": selectors.sessions(enrolment=enrolment),
        "can_manage": can_manage,
        "can_complete": can_complete,
        "forms": forms,
        "today": timezone.localdate(),
    }
    return render(request, "advisory/detail.html", context, status=422 if request.method == "POST" else 200)
