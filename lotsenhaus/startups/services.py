import datetime
import time
import uuid
from typing import Any
from urllib.parse import urlparse

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit, audit_many, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.signals import bulk_saved
from lotsenhaus.core.validation import (
    assign,
    checked_upload_type,
    clean_or_refuse,
    refuse_unknown,
    require_permission,
    versioned_edit,
)
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.models import Membership, Organisation, OrganisationKind
from lotsenhaus.organisations.selectors import people_of, unit_staff
from lotsenhaus.organisations.services import (
    membership_claim,
    organisation_create,
    organisation_register_startup,
    organisations_check_many,
    organisations_create_many,
)

from . import audit_actions
from .importing import ImportFileError, check_rows, domain_of, normalise_name, read_table
from .models import (
    Certification,
    ContactPerson,
    ImportState,
    PublicReference,
    Solution,
    SolutionImage,
    StartupImport,
    StartupProfile,
    Verification,
)
from .selectors import catalogue_keys

PROFILE_FIELDS = [
    "legal_form", "founding_year", "seat", "team_size", "short_description", "long_description", "contact_name",
    "contact_email", "hosting_locations", "avv_available", "open_source_licence", "product_accessibility",
    "funding_stage",
]  # fmt: skip
SOLUTION_FIELDS = [
    "name", "description", "capabilities", "technologies", "maturity", "deployment", "pricing_model",
    "interfaces", "languages",
]  # fmt: skip


@transaction.atomic
def startup_register(*, actor: User, name: str, website: str = "") -> StartupProfile:
    """Self-registration: the startup exists at once but stays unverified until the unit checks it."""
    organisation = organisation_register_startup(actor=actor, name=name, website=website)
    profile = StartupProfile.objects.create(
        organisation=organisation, contact_email=actor.email, contact_name=actor.name
    )
    audit(actor=actor, action=audit_actions.STARTUP_REGISTER, obj=profile)
    startup_name = organisation.name
    notifications_send(
        recipients=unit_staff(),
        actor=actor,
        topic=Topic.STARTUP,
        title=lambda: _("A new startup awaits verification: %(name)s") % {"name": startup_name},
        url=reverse("startups:detail", args=[profile.pk]),
        key=f"startup-registered:{profile.pk}",
    )
    return profile


def unverified_startups_expire(*, now: Any) -> int:
    """Self-registered startups the unit has not verified within ``LOTSENHAUS_UNVERIFIED_STARTUP_DAYS`` are
    removed with their organisation, so that a sign-up cannot hold a company's name for ever (name squatting).

    Only startups that never took part in anything (no answer, no candidacy, no pilot) go; the people keep
    their accounts and can register again. Safe to run any number of times.
    """
    days = settings.LOTSENHAUS_UNVERIFIED_STARTUP_DAYS
    if not days:
        return 0
    stale = StartupProfile.objects.filter(
        verification__in=(Verification.UNVERIFIED, Verification.REJECTED),
        scouted=False,
        created_at__lt=now - datetime.timedelta(days=days),
    ).select_related("organisation")
    removed = 0
    for profile in stale:
        organisation = profile.organisation
        org_id, org_name = organisation.pk, organisation.name
        try:
            with transaction.atomic():
                Membership.objects.filter(organisation=organisation).delete()
                profile.delete()
                organisation.delete()
        except ProtectedError:
            continue  # it took part in a need, an exploration or a pilot: it stays on file
        audit(
            actor=None,
            action=audit_actions.STARTUP_EXPIRE_UNVERIFIED,
            object_type="organisations.organisation",
            object_id=str(org_id),
            object_repr=org_name,
            changes={"days": days},
        )
        removed += 1
    return removed


@transaction.atomic
def startup_scout(*, actor: User, name: str, website: str = "", short_description: str = "") -> StartupProfile:
    """The unit adds a startup it found; the startup can claim the profile later by e-mail domain."""
    require_permission(actor, "startups.scout_startup")
    organisation = organisation_create(actor=actor, name=name, kind=OrganisationKind.STARTUP, website=website)
    profile = StartupProfile(organisation=organisation, scouted=True, short_description=short_description)
    clean_or_refuse(profile, exclude=["organisation", "verified_by"])
    profile.save()
    audit(actor=actor, action=audit_actions.STARTUP_SCOUT, obj=profile)
    return profile


def _domain(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    return host.removeprefix("www.")


@transaction.atomic
def startup_claim(*, actor: User, profile: StartupProfile) -> StartupProfile:
    """A person whose verified e-mail address belongs to the startup's web domain takes over the profile."""
    domain = _domain(profile.organisation.website)
    verified = EmailAddress.objects.filter(user=actor, verified=True).values_list("email", flat=True)
    if not profile.scouted or not domain or not any(e.lower().endswith("@" + domain) for e in verified):
        raise ApplicationError(
            _("You can claim this profile only with a verified e-mail address at %(domain)s.")
            % {"domain": domain or "–"},
            code="not_allowed",
        )
    membership_claim(actor=actor, organisation=profile.organisation)
    profile.scouted = False
    profile.save(update_fields=["scouted", "updated_at"])
    audit(actor=actor, action=audit_actions.STARTUP_CLAIM, obj=profile)
    return profile


@transaction.atomic
def startup_verify(*, actor: User, profile: StartupProfile, decision: str) -> StartupProfile:
    require_permission(actor, "startups.verify_profile", profile)
    if decision not in (Verification.VERIFIED, Verification.REJECTED):
        raise ApplicationError(_("Unknown decision."), code="invalid_value")
    before = profile.verification
    profile.verification = decision
    profile.verified_at = timezone.now()
    profile.verified_by = actor
    profile.save(update_fields=["verification", "verified_at", "verified_by", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.STARTUP_VERIFICATION[decision],
        obj=profile,
        changes={"verification": [before, decision]},
    )
    verified = decision == Verification.VERIFIED
    notifications_send(
        recipients=people_of(organisation_ids=[profile.organisation_id]),
        actor=actor,
        topic=Topic.STARTUP,
        title=lambda: (
            _("Your startup has been verified: you can now answer needs")
            if verified
            else _("Your startup could not be verified")
        ),
        body=lambda: "" if verified else _("Please contact the venture-client unit to learn why and what is missing."),
        url=reverse("startups:detail", args=[profile.pk]),
        key=f"startup-verification:{profile.pk}:{decision}:{profile.verified_at.isoformat()}",
    )
    return profile


def startup_identity_changed(*, organisation: Any, actor: User, changed: list[str]) -> None:
    """A verified startup that renames itself or changes its website is checked again by the unit."""
    profile = StartupProfile.objects.filter(organisation=organisation, verification=Verification.VERIFIED).first()
    if profile is None:
        return
    profile.verification = Verification.UNVERIFIED
    profile.verified_at = None
    profile.save(update_fields=["verification", "verified_at", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.STARTUP_REVERIFY,
        obj=profile,
        changes={"verification": [Verification.VERIFIED, Verification.UNVERIFIED], "changed": changed},
    )


@transaction.atomic
def startup_update(*, actor: User, profile: StartupProfile, version: int, **fields: Any) -> StartupProfile:
    require_permission(actor, "startups.change_profile", profile)
    edit = versioned_edit(
        StartupProfile.objects.select_related("organisation"),
        profile.pk,
        version,
        fields,
        PROFILE_FIELDS,
        _("Someone else has saved this profile in the meantime. Please reload the page."),
    )
    edit.save(
        actor=actor, action=audit_actions.STARTUP_UPDATE, exclude=["organisation", "verified_by"], audit_unchanged=True
    )
    return edit.obj


@transaction.atomic
def solution_save(*, actor: User, profile: StartupProfile, solution: Solution | None = None, **fields: Any) -> Solution:
    """Create a solution, or change one of the same startup."""
    require_permission(actor, "startups.change_profile", profile)
    refuse_unknown(fields, SOLUTION_FIELDS)
    if solution is not None and solution.profile_id != profile.pk:
        raise PermissionDenied
    created = solution is None
    solution = solution or Solution(profile=profile)
    before = {} if created else snapshot(solution, SOLUTION_FIELDS)
    assign(solution, fields)
    clean_or_refuse(solution, exclude=["profile"])
    solution.save()
    audit(
        actor=actor,
        action=audit_actions.SOLUTION_CREATE if created else audit_actions.SOLUTION_UPDATE,
        obj=solution,
        changes=diff(before, snapshot(solution, SOLUTION_FIELDS)),
    )
    return solution


@transaction.atomic
def solution_delete(*, actor: User, solution: Solution) -> None:
    require_permission(actor, "startups.change_profile", solution.profile)
    audit(actor=actor, action=audit_actions.SOLUTION_DELETE, obj=solution, changes={"name": [solution.name, None]})
    solution.delete()


@transaction.atomic
def reference_add(*, actor: User, profile: StartupProfile, public_body: str, what: str, year: int) -> PublicReference:
    require_permission(actor, "startups.change_profile", profile)
    if year > timezone.localdate().year:
        raise ApplicationError(_("A reference cannot lie in the future."), field="year", code="invalid_date")
    reference = PublicReference(profile=profile, public_body=public_body.strip(), what=what.strip(), year=year)
    clean_or_refuse(reference, exclude=["profile"])
    reference.save()
    audit(
        actor=actor,
        action=audit_actions.STARTUP_REFERENCE_ADD,
        obj=profile,
        changes={"reference": [None, str(reference)]},
    )
    return reference


@transaction.atomic
def certification_add(
    *, actor: User, profile: StartupProfile, kind: str, name: str = "", valid_until: Any = None
) -> Certification:
    require_permission(actor, "startups.change_profile", profile)
    certification = Certification(profile=profile, kind=kind, name=name.strip(), valid_until=valid_until)
    clean_or_refuse(certification, exclude=["profile"])
    certification.save()
    audit(
        actor=actor,
        action=audit_actions.STARTUP_CERTIFICATION_ADD,
        obj=profile,
        changes={"certification": [None, kind]},
    )
    return certification


@transaction.atomic
def contact_add(
    *, actor: User, profile: StartupProfile, name: str, email: str, role: str = "", phone: str = ""
) -> ContactPerson:
    require_permission(actor, "startups.change_profile", profile)
    contact = ContactPerson(
        profile=profile, name=name.strip(), email=email.strip(), role=role.strip(), phone=phone.strip()
    )
    clean_or_refuse(contact, exclude=["profile"])
    contact.save()
    audit(actor=actor, action=audit_actions.STARTUP_CONTACT_ADD, obj=profile, changes={"contact": [None, str(contact)]})
    return contact


@transaction.atomic
def startup_item_remove(
    *, actor: User, profile: StartupProfile, item: PublicReference | Certification | ContactPerson
) -> None:
    require_permission(actor, "startups.change_profile", profile)
    if item.profile_id != profile.pk:
        raise PermissionDenied
    audit(
        actor=actor,
        action=audit_actions.STARTUP_ITEM_REMOVE[str(item._meta.model_name)],
        obj=profile,
        changes={"item": [str(item), None]},
    )
    item.delete()


@transaction.atomic
def import_preview(*, actor: User, file_name: str, content: bytes) -> StartupImport:
    """Read the list (a file that cannot be read is refused at once); a background task checks every row against
    the catalogue (``import_check``: at 10,000 rows and 100,000 startups that takes seconds). Nothing goes into
    the catalogue yet."""
    require_permission(actor, "startups.scout_startup")
    try:
        rows = read_table(file_name, content)
    except ImportFileError as error:
        raise ApplicationError(str(error), field="file", code="invalid_file") from error
    upload = StartupImport.objects.create(
        created_by=actor, file_name=file_name[:200], rows=rows, state=ImportState.CHECKING
    )
    audit(actor=actor, action=audit_actions.STARTUP_IMPORT_PREVIEW, obj=upload, changes={"rows": [None, len(rows)]})
    from .tasks import check_startup_list

    transaction.on_commit(lambda: check_startup_list.enqueue(upload_id=upload.pk))
    return upload


@transaction.atomic
def import_check(*, upload_id: int) -> StartupImport:
    """Check each row of an uploaded list (its values, and duplicates in the file and in the catalogue)."""
    upload = StartupImport.objects.select_for_update().get(pk=upload_id)
    if upload.state == ImportState.CHECKING:
        names, domains = catalogue_keys()
        upload.rows = check_rows(upload.rows, names, domains)
        upload.state = ImportState.CHECKED
        upload.save(update_fields=["rows", "state"])
    return upload


IMPORT_SLICE = 250


@transaction.atomic
def import_run(*, actor: User, upload: StartupImport) -> StartupImport:
    """Queue the import of the list's valid rows; a background task writes them slice by slice (``import_execute``)
    while the page shows the progress. A list is imported once."""
    require_permission(actor, "startups.scout_startup")
    upload = StartupImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != ImportState.CHECKED:
        raise ApplicationError(_("This list has already been imported."), code="duplicate")
    if not upload.valid_rows:
        raise ApplicationError(_("The list has no row that can be imported."), code="invalid_file")
    upload.state = ImportState.QUEUED
    upload.run_by = actor
    upload.save(update_fields=["state", "run_by"])
    audit(
        actor=actor,
        action=audit_actions.STARTUP_IMPORT_START,
        obj=upload,
        changes={"rows": [None, len(upload.valid_rows)]},
    )
    from .tasks import import_startups

    transaction.on_commit(lambda: import_startups.enqueue(upload_id=upload.pk))
    return upload


def import_execute(*, upload_id: int) -> StartupImport:
    """Write the valid rows in slices of ``IMPORT_SLICE``, each slice in one transaction with bulk inserts (the
    organisations, profiles and audit entries) and one pass of the search index. Rows that became duplicates
    since the preview are skipped and say why. Safe to run twice: a second run continues after the last
    committed slice, and a finished import is left as it is."""
    upload = StartupImport.objects.select_related("run_by").get(pk=upload_id)
    if upload.state == ImportState.DONE:
        return upload
    actor = upload.run_by or upload.created_by
    StartupImport.objects.filter(pk=upload.pk).update(
        state=ImportState.RUNNING, started_at=upload.started_at or timezone.now()
    )
    valid = upload.valid_rows
    names, domains = catalogue_keys()
    for first in range(upload.processed, len(valid), IMPORT_SLICE):
        began = time.monotonic()
        _import_slice(actor=actor, upload_id=upload.pk, rows=valid[first : first + IMPORT_SLICE], keys=(names, domains))
        if first + IMPORT_SLICE < len(valid):  # leave the database to the pages for a while
            time.sleep((time.monotonic() - began) * settings.LOTSENHAUS_IMPORT_PAUSE_RATIO)
    with transaction.atomic():
        upload = StartupImport.objects.select_for_update().get(pk=upload.pk)
        upload.rows = [{**r, "errors": r["errors"] or upload.skipped.get(str(r["row"]), [])} for r in upload.rows]
        upload.state = ImportState.DONE
        upload.imported_at = timezone.now()
        upload.save()
        audit(
            actor=actor,
            action=audit_actions.STARTUP_IMPORT_RUN,
            obj=upload,
            changes={"imported": [None, upload.imported_count]},
        )
        # The person who started it waits for it (no actor given: it is their own news).
        file_name, count = upload.file_name, upload.imported_count
        notifications_send(
            recipients=[upload.run_by],
            topic=Topic.STARTUP,
            title=lambda: (
                _("Startup list %(name)s imported: %(count)s new startups") % {"name": file_name, "count": count}
            ),
            url=reverse("startups:import_preview", args=[upload.pk]),
            key=f"startup-import:{upload.pk}",
        )
    return upload


@transaction.atomic
def _import_slice(*, actor: User, upload_id: int, rows: list[dict[str, Any]], keys: tuple[set[str], set[str]]) -> None:
    names, domains = keys
    skipped: dict[str, list[str]] = {}
    candidates: list[tuple[dict[str, Any], Organisation, StartupProfile]] = []
    for row in rows:
        values = row["values"]
        key, domain = normalise_name(values["name"]), domain_of(values["website"]) if values["website"] else ""
        if key in names or (domain and domain in domains):
            skipped[str(row["row"])] = [_("Already in the catalogue (same name or web domain).")]
            continue
        names.add(key)
        if domain:
            domains.add(domain)
        organisation = Organisation(name=values["name"], kind=OrganisationKind.STARTUP, website=values["website"])
        profile = StartupProfile(scouted=True, short_description=values["short_description"])
        for field in ("seat", "founding_year", "team_size", "contact_email", "hosting_locations"):
            setattr(profile, field, values[field] or getattr(profile, field))
        candidates.append((row, organisation, profile))
    # Checked in the preview; what changed since (an authority of that name) skips the row, not the list.
    problems = organisations_check_many([organisation for _row, organisation, _profile in candidates])
    organisations: list[Organisation] = []
    profiles: list[StartupProfile] = []
    for n, (row, organisation, profile) in enumerate(candidates):
        try:
            clean_or_refuse(profile, exclude=["organisation", "verified_by"], database=False)
        except ApplicationError as error:
            problems.setdefault(n, error.message)
        if n in problems:
            skipped[str(row["row"])] = [problems[n]]
            continue
        organisations.append(organisation)
        profiles.append(profile)
    organisations = organisations_create_many(actor=actor, organisations=organisations)
    for organisation, profile in zip(organisations, profiles, strict=True):
        profile.organisation, profile.name = organisation, organisation.name
    profiles = StartupProfile.objects.bulk_create(profiles)
    audit_many(actor=actor, action=audit_actions.STARTUP_SCOUT, objs=profiles)
    bulk_saved.send(sender=StartupProfile, instances=profiles)
    upload = StartupImport.objects.select_for_update().get(pk=upload_id)
    upload.processed += len(rows)
    upload.imported_count += len(profiles)
    upload.skipped = {**upload.skipped, **skipped}
    upload.save(update_fields=["processed", "imported_count", "skipped"])


MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGES = 5
IMAGE_SIGNATURES = {
    "image/png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda head: head.startswith(b"RIFF") and head[8:12] == b"WEBP",
}


@transaction.atomic
def solution_image_add(*, actor: User, solution: Solution, image: Any, alt_text: str) -> SolutionImage:
    require_permission(actor, "startups.change_profile", solution.profile)
    if not alt_text.strip():
        raise ApplicationError(
            _("Please describe the image for people who cannot see it."), field="alt_text", code="required"
        )
    if solution.images.count() >= MAX_IMAGES:
        raise ApplicationError(_("A solution can have at most five screenshots."), field="image", code="invalid_value")
    content_type = checked_upload_type(
        image,
        max_bytes=MAX_IMAGE_BYTES,
        signatures=IMAGE_SIGNATURES,
        too_big=_("The image is larger than 2 MB."),
        wrong_type=_("Only PNG, JPEG or WebP images can be uploaded."),
        field="image",
    )
    image.name = f"{uuid.uuid4().hex}.{content_type.split('/')[1]}"
    item = SolutionImage.objects.create(
        solution=solution, file=image, content_type=content_type, alt_text=alt_text.strip()[:200], size=image.size
    )
    audit(actor=actor, action=audit_actions.SOLUTION_IMAGE_ADD, obj=solution, changes={"image": [None, item.alt_text]})
    return item


@transaction.atomic
def solution_image_remove(*, actor: User, image: SolutionImage) -> None:
    require_permission(actor, "startups.change_profile", image.solution.profile)
    audit(
        actor=actor,
        action=audit_actions.SOLUTION_IMAGE_REMOVE,
        obj=image.solution,
        changes={"image": [image.alt_text, None]},
    )
    name, storage = str(image.file.name), image.file.storage
    image.delete()
    transaction.on_commit(lambda: storage.delete(name))
