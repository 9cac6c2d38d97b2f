from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.exports import export_response, wanted_format
from lotsenhaus.core.forms import call_service
from lotsenhaus.core.htmx import is_htmx_fragment, render_page
from lotsenhaus.core.pagination import page_of
from lotsenhaus.core.validation import require_permission
from lotsenhaus.matching import selectors as matching
from lotsenhaus.matching.selectors import ranker
from lotsenhaus.organisations.selectors import is_member_of

from . import selectors, services
from .filters import DirectoryFilterSet
from .forms import (
    CertificationForm,
    ContactForm,
    ImportForm,
    ProfileForm,
    ReferenceForm,
    ScoutForm,
    SolutionForm,
    SolutionImageForm,
)
from .models import (
    Certification,
    ContactPerson,
    ImportState,
    PublicReference,
    Solution,
    SolutionImage,
    StartupProfile,
)

CONTACT_COLUMN: Any = (_l("Contact e-mail"), lambda p: p.contact_email)
PROFILE_COLUMNS: list[Any] = [
    (_l("Name"), lambda p: p.organisation.name),
    (_l("Verification"), lambda p: p.get_verification_display()),
    (_l("Short description"), lambda p: p.short_description),
    (_l("Website"), lambda p: p.organisation.website),
    (_l("Seat"), lambda p: p.seat),
    (_l("Founding year"), lambda p: p.founding_year),
    (_l("Team size"), lambda p: p.team_size),
    (_l("Hosting locations"), lambda p: ", ".join(p.hosting_labels())),
    (_l("Data processing agreement (AVV) available"), lambda p: p.avv_available),
    (_l("Solutions"), lambda p: p.solution_count),
    (_l("Public-sector references"), lambda p: p.reference_count),
    CONTACT_COLUMN,
]
SOLUTION_COLUMNS: list[Any] = [
    (_l("Startup"), lambda s: s.profile.organisation.name),
    (_l("Name"), lambda s: s.name),
    (_l("Description"), lambda s: s.description),
    (_l("Maturity"), lambda s: s.get_maturity_display()),
    (_l("Technologies"), lambda s: ", ".join(s.technologies)),
    (_l("Deployment"), lambda s: ", ".join(s.deployment)),
    (_l("Interfaces and standards"), lambda s: s.interfaces),
    (_l("Source"), lambda s: s.source_note),
]


@login_required
def solutions_export(request: SignedInRequest) -> HttpResponse:
    filters = DirectoryFilterSet(request.GET)
    solutions = selectors.solutions_of(user=request.user, filters=filters)
    return export_response(solutions, SOLUTION_COLUMNS, "loesungen", wanted_format(request) or "xlsx")


@login_required
def directory(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("startups.view_directory"):
        raise PermissionDenied
    filters = DirectoryFilterSet(
        request.GET,
        all_profiles=request.user.has_perm("startups.view_all_profiles"),
        ranker=ranker(user=request.user, kind="startup"),
    )
    profiles = selectors.startup_directory(user=request.user, filters=filters)
    if fmt := wanted_format(request):
        columns = PROFILE_COLUMNS
        if not request.user.has_perm("startups.view_contacts"):
            columns = [c for c in PROFILE_COLUMNS if c is not CONTACT_COLUMN]  # other startups see no contacts
        return export_response(profiles, columns, "startups", fmt)
    page, query = page_of(request, profiles, 25)
    context = {"form": filters.form, "page": page, "query": query}
    return render_page(request, "startups/directory.html", "startups/partials/directory_results.html", context)


def _profile_context(request: HttpRequest, profile: StartupProfile, **extra: Any) -> dict[str, Any]:
    can_change = request.user.has_perm("startups.change_profile", profile)
    context = {
        "profile": profile,
        "organisation": profile.organisation,
        "solutions": profile.solutions.prefetch_related("images"),
        "references": profile.references.all(),
        "certifications": profile.certifications.all(),
        "contacts": profile.contacts.all(),
        "can_see_contacts": request.user.has_perm("startups.view_contacts", profile),
        "can_change": can_change,
        "can_verify": request.user.has_perm("startups.verify_profile", profile),
        "can_claim": profile.scouted and not can_change and request.user.is_authenticated,
        "can_see_matches": request.user.has_perm("matching.view_startup_matches", profile),
    }
    if can_change:
        context["completeness"], context["missing"] = selectors.startup_completeness(profile)
        # "Your profile" only to the startup's own people; the unit reads "the profile" (issue 17, D30).
        context["own_profile"] = is_member_of(request.user, profile.organisation_id)
    return {**context, **extra}


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    profile = selectors.startup_get(user=request.user, pk=pk)
    return render(request, "startups/detail.html", _profile_context(request, profile))


def _changeable(request: HttpRequest, pk: int) -> StartupProfile:
    profile = selectors.startup_get(user=request.user, pk=pk)
    if not request.user.has_perm("startups.change_profile", profile):
        raise PermissionDenied
    return profile


@login_required
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    profile = _changeable(request, pk)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.startup_update(
                actor=request.user, profile=profile, version=form.cleaned_data["version"], **form.changes()
            ),
        )
        if done:
            messages.success(request, _("Your changes have been saved."))
            return redirect("startups:detail", pk=pk)
    context = {
        "profile": profile,
        "form": form,
        "reference_form": ReferenceForm(prefix="reference"),
        "certification_form": CertificationForm(prefix="certification"),
        "contact_form": ContactForm(prefix="contact"),
        "contacts": profile.contacts.all(),
        "references": profile.references.all(),
        "certifications": profile.certifications.all(),
    }
    return render(request, "startups/edit.html", context, status=422 if request.method == "POST" else 200)


@login_required
def solution_edit(request: SignedInRequest, pk: int, solution_pk: int | None = None) -> HttpResponse:
    profile = _changeable(request, pk)
    solution = get_object_or_404(Solution, pk=solution_pk, profile=profile) if solution_pk else None
    form = SolutionForm(request.POST or None, instance=solution or Solution(profile=profile))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.solution_save(actor=request.user, profile=profile, solution=solution, **form.changes()),
        )
        if saved:
            messages.success(request, _("The solution has been saved."))
            return redirect("startups:detail", pk=pk)
    context = {"profile": profile, "form": form, "solution": solution, "image_form": SolutionImageForm()}
    return render(request, "startups/solution_form.html", context, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def solution_delete(request: SignedInRequest, pk: int, solution_pk: int) -> HttpResponse:
    profile = _changeable(request, pk)
    services.solution_delete(actor=request.user, solution=get_object_or_404(Solution, pk=solution_pk, profile=profile))
    messages.success(request, _("The solution has been deleted."))
    return redirect("startups:detail", pk=pk)


@login_required
@require_POST
def item_add(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    profile = _changeable(request, pk)
    if kind == "reference":
        form: Any = ReferenceForm(request.POST, prefix="reference")
        service: Any = services.reference_add
    elif kind == "certification":
        form = CertificationForm(request.POST, prefix="certification")
        service = services.certification_add
    elif kind == "contact":
        form = ContactForm(request.POST, prefix="contact")
        service = services.contact_add
    else:
        raise Http404
    if form.is_valid() and call_service(
        form, lambda: service(actor=request.user, profile=profile, **form.cleaned_data)
    ):
        # Say what was saved: other forms on the page are not (their input is kept by the page's script).
        messages.success(
            request,
            {
                "reference": _("The reference has been added."),
                "certification": _("The certification has been added."),
                "contact": _("The contact person has been added."),
            }[kind],
        )
    else:
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
        )
        messages.error(request, _("Not saved: %(errors)s") % {"errors": errors})
    return redirect("startups:edit", pk=pk)


@login_required
@require_POST
def item_remove(request: SignedInRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    profile = _changeable(request, pk)
    model: Any = {"reference": PublicReference, "certification": Certification, "contact": ContactPerson}.get(kind)
    if model is None:
        raise Http404
    services.startup_item_remove(
        actor=request.user, profile=profile, item=get_object_or_404(model, pk=item_pk, profile=profile)
    )
    messages.success(request, _("Your changes have been saved."))
    return redirect("startups:edit", pk=pk)


@login_required
@require_POST
def verify(request: SignedInRequest, pk: int) -> HttpResponse:
    profile = selectors.startup_get(user=request.user, pk=pk)
    services.startup_verify(actor=request.user, profile=profile, decision=request.POST.get("decision", ""))
    messages.success(request, _("The decision has been saved."))
    return redirect("startups:detail", pk=pk)


@login_required
@require_POST
def claim(request: SignedInRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(StartupProfile.objects.select_related("organisation"), pk=pk, scouted=True)
    try:
        services.startup_claim(actor=request.user, profile=profile)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("startups:directory")
    messages.success(request, _("The profile is now yours. Please complete it."))
    return redirect("startups:edit", pk=pk)


@login_required
def scout(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("startups.scout_startup"):
        raise PermissionDenied
    form = ScoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile = call_service(form, lambda: services.startup_scout(actor=request.user, **form.cleaned_data))
        if profile:
            messages.success(request, _("The startup has been added. It can claim its profile later."))
            return redirect("startups:detail", pk=profile.pk)
    return render(request, "startups/scout.html", {"form": form}, status=422 if request.method == "POST" else 200)


@login_required
def import_upload(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("startups.scout_startup"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        checked = call_service(
            form,
            lambda: services.import_preview(actor=request.user, file_name=upload.name, content=upload.read()),
        )
        if checked:
            return redirect("startups:import_preview", pk=checked.pk)
    return render(request, "startups/import.html", {"form": form}, status=422 if request.method == "POST" else 200)


@login_required
def import_preview(request: SignedInRequest, pk: int) -> HttpResponse:
    """The checked list (rows paged, problems named), the button to import it, and while the background task runs
    its progress (the status block polls itself until the import is finished)."""
    upload = selectors.import_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.import_run(actor=request.user, upload=upload)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The import has started. This page shows its progress."))
        return redirect("startups:import_preview", pk=pk)
    rows, query = page_of(request, upload.rows, 100)
    context = {"upload": upload, "rows": rows, "page": rows, "query": query}
    response = render_page(request, "startups/import_preview.html", "startups/partials/import_status.html", context)
    if is_htmx_fragment(request) and upload.state in (ImportState.CHECKED, ImportState.DONE):
        response["HX-Refresh"] = "true"  # checked or imported while polling: show the rows with their results
    return response


@login_required
@require_POST
def image_add(request: SignedInRequest, pk: int, solution_pk: int) -> HttpResponse:
    profile = _changeable(request, pk)
    solution = get_object_or_404(Solution, pk=solution_pk, profile=profile)
    form = SolutionImageForm(request.POST, request.FILES)
    added = None
    if form.is_valid():
        added = call_service(
            form, lambda: services.solution_image_add(actor=request.user, solution=solution, **form.cleaned_data)
        )
    if added is not None:
        messages.success(request, _("The screenshot has been added."))
    else:
        errors = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(request, _("Not saved: %(errors)s") % {"errors": errors})
    return redirect("startups:solution_edit", pk=pk, solution_pk=solution_pk)


@login_required
@require_POST
def image_remove(request: SignedInRequest, pk: int, image_pk: int) -> HttpResponse:
    profile = _changeable(request, pk)
    image = get_object_or_404(SolutionImage.objects.select_related("solution"), pk=image_pk, solution__profile=profile)
    services.solution_image_remove(actor=request.user, image=image)
    messages.success(request, _("The screenshot has been removed."))
    return redirect("startups:solution_edit", pk=pk, solution_pk=image.solution_id)


@login_required
def image(request: SignedInRequest, image_pk: int) -> FileResponse:
    """Screenshots are served to those who may see the startup, with the type checked at upload."""
    item = get_object_or_404(SolutionImage.objects.select_related("solution__profile"), pk=image_pk)
    if not request.user.has_perm("startups.view_profile", item.solution.profile):
        raise PermissionDenied
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def matches(request: SignedInRequest, pk: int) -> HttpResponse:
    """ "Passende Bedarfe": published needs a startup's solutions could serve."""
    profile = selectors.startup_get(user=request.user, pk=pk)
    require_permission(request.user, "matching.view_startup_matches", profile)
    compact = request.GET.get("compact") == "1"
    outcome = matching.needs_for_startup(
        user=request.user, solutions=list(profile.solutions.all()), limit=5 if compact else 20
    )
    subscription = matching.digest_subscription(user=request.user, active_only=True)
    context = {"profile": profile, "outcome": outcome, "compact": compact, "subscription": subscription}
    return render_page(request, "startups/matches.html", "matching/partials/match_results.html", context)
