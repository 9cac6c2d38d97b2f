from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.forms import call_service
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pagination import page_of

from . import selectors, services
from .filters import OrganisationFilterSet
from .forms import MemberAddForm, MemberRoleForm, OrganisationForm
from .models import Membership, Organisation


@login_required
def organisation_list(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("organisations.view_organisation_list"):
        raise PermissionDenied
    filters = OrganisationFilterSet(request.GET)
    organisations = selectors.organisation_list(user=request.user, filters=filters)
    page, page_query = page_of(request, organisations, 50)
    context = {"page": page, "query": page_query, "filters": filters}
    return render_page(request, "organisations/list.html", "organisations/partials/table.html", context)


def _render_detail(
    request: HttpRequest, organisation: Organisation, member_form: MemberAddForm | None = None, status: int = 200
) -> HttpResponse:
    can_manage = request.user.has_perm("organisations.manage_members", organisation)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation),
        "children": selectors.organisation_children(organisation=organisation),
        "can_change": request.user.has_perm("organisations.change_organisation", organisation),
        "can_manage": can_manage,
        "member_form": (member_form or MemberAddForm()) if can_manage else None,
    }
    return render(request, "organisations/detail.html", context, status=status)


def _managed(request: HttpRequest, pk: int) -> Organisation:
    """The organisation, if the user may manage its members."""
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.manage_members", organisation):
        raise PermissionDenied
    return organisation


def _managed_membership(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    organisation = _managed(request, pk)
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation)


@login_required
def organisation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.organisation_get(user=request.user, pk=pk))


@login_required
def organisation_create(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("organisations.add_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = call_service(form, lambda: services.organisation_create(actor=request.user, **form.cleaned_data))
        if organisation:
            messages.success(request, _("The organisation has been created."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    initial = {f: getattr(organisation, f) for f in ["name", "short_name", "kind", "website", "email_domains"]}
    initial["parent"] = organisation.parent_id
    form = OrganisationForm(request.POST or None, initial=initial)
    if not request.user.has_perm("organisations.set_email_domains"):
        del form.fields["email_domains"]  # the unit's setting; shown, not editable, on the detail page
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data),
        )
        if done:
            messages.success(request, _("Your changes have been saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def member_add(request: SignedInRequest, pk: int) -> HttpResponse:
    organisation = _managed(request, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        membership = call_service(
            form,
            lambda: services.membership_add(actor=request.user, organisation=organisation, **form.cleaned_data),
        )
        if membership:
            messages.success(request, _("%(person)s has been added.") % {"person": membership.user})
            return redirect("organisations:detail", pk=organisation.pk)
    return _render_detail(request, organisation, form, status=422)


@login_required
@require_POST
def member_remove(request: SignedInRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.manage_members", organisation):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("%(person)s has been removed.") % {"person": membership.user})
    return redirect("organisations:detail", pk=organisation.pk)


@login_required
@require_POST
def member_role(request: SignedInRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    if not request.user.has_perm("organisations.manage_members", organisation):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
    else:
        services.membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        messages.success(request, _("The role has been changed."))
    return redirect("organisations:detail", pk=pk)
