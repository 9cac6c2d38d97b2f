import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lotsenhaus.accounts.allauth_internals import totp_activate
from lotsenhaus.accounts.models import User
from lotsenhaus.airegister.models import UseCase, UseCaseStatus
from lotsenhaus.airegister.services import assessment_create, use_case_create, use_case_transition
from lotsenhaus.core.known_accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET
from lotsenhaus.matching.selectors import pending_embeddings
from lotsenhaus.matching.services import embeddings_compute, embeddings_export, embeddings_import
from lotsenhaus.needs.models import Need, Status
from lotsenhaus.needs.services import answer_save, need_create, need_transition
from lotsenhaus.organisations.models import Membership, Organisation, OrganisationKind
from lotsenhaus.organisations.services import membership_add, organisation_create
from lotsenhaus.startups.models import Maturity, Solution, StartupProfile, Verification

from ... import campus, data, pipeline
from ...guard import refuse_in_production

# The demo texts' embeddings (float16, keyed by the hash of model and text), written by `demo --write-embeddings`.
EMBEDDINGS = Path(__file__).resolve().parents[2] / "data" / "embeddings.npz"

PATH_TO = {
    "draft": [],
    "in_review": ["submit"],
    "published": ["submit", "publish"],
    # Later states are reached through the pipeline's own services (see ``demo/pipeline.py``).
    "exploration": ["submit", "publish"],
    "evaluation": ["submit", "publish"],
    "pilot": ["submit", "publish"],
    "closed": ["submit", "publish"],
    "withdrawn": ["submit", "withdraw"],
}


KEYWORDS = {
    "ai_text": ("text", "chatbot", "document", "language", "speech"),
    "ai_vision": ("image", "camera", "video", "vision", "satellite"),
    "ai_forecast": ("predict", "forecast", "risk"),
    "ai_optimisation": ("optimi", "schedul", "route"),
}


def _technologies(description: str) -> list[str]:
    lowered = description.lower()
    found = [code for code, words in KEYWORDS.items() if any(word in lowered for word in words)]
    return found or ["data_platform"]


class Command(BaseCommand):
    help = "Fill the database with a realistic German demo world (idempotent), print the logins, serve."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Only create the data.")
        parser.add_argument(
            "--write-embeddings",
            action="store_true",
            help=f"Embed every demo text (about a minute) and write them to {EMBEDDINGS.name} for shipping.",
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("demo")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        created = self.build()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new objects)."))
        if options["write_embeddings"]:
            self.write_embeddings()
        self.load_embeddings()
        self.print_logins()
        if not options["no_serve"]:
            call_command("serve", options["addrport"], with_worker=True)

    @transaction.atomic
    def build(self) -> int:
        admin, new_admin = self._person("admin@lotsenhaus.example", "Pia Plattform-Admin", superuser=True)
        created = int(new_admin)
        by_short: dict[str, Organisation] = {}
        for name, short, kind, parent, domains, website in [
            *data.PUBLIC_BODIES,
            data.UNIT,
            *data.EXPERT_NETWORKS,
        ]:
            org, new = self._organisation(
                admin,
                name=name,
                short_name=short,
                kind=kind,
                parent=by_short.get(parent or ""),
                email_domains=domains,
                website=website,
            )
            by_short[short] = org
            created += new
        for name, domain, _topic in data.STARTUPS:
            org, new = self._organisation(
                admin,
                name=name,
                short_name="",
                kind=OrganisationKind.STARTUP,
                parent=None,
                email_domains=domain,
                website=f"https://www.{domain}",
            )
            by_short[domain] = org
            created += new
        for email, name, org_key, role, superuser in data.PEOPLE:
            user, new = self._person(email, name, superuser=superuser)
            created += new
            if new and email in data.FORMS_OF_ADDRESS:
                user.form_of_address = data.FORMS_OF_ADDRESS[email]
                user.save(update_fields=["form_of_address"])
            if org_key and not Membership.objects.filter(user=user, organisation=by_short[org_key]).exists():
                membership_add(actor=admin, organisation=by_short[org_key], email=email, role=str(role))
                created += 1
        for email in ("koordination@vce.hamburg.example", "admin@lotsenhaus.example"):
            created += self._totp(User.objects.get(email=email))
        created += self._needs(by_short)
        created += self._startups(admin, by_short)
        created += self._answers()
        created += self._use_cases(by_short)
        created += self._pipeline()
        created += campus.build(
            admin=admin,
            coordinator=User.objects.get(email="koordination@vce.hamburg.example"),
            owner=User.objects.get(email="bedarf@bsw.hamburg.de"),
            expert=User.objects.get(email="expertin@ki-zentrum.example"),
            startup=User.objects.get(email="startup@aktenblick.example"),
        )
        return created

    def _pipeline(self) -> int:
        """Needs meant to be further along go through exploration, evaluation and pilot, once."""
        coordinator = User.objects.get(email="koordination@vce.hamburg.example")
        expert = User.objects.get(email="expertin@ki-zentrum.example")
        advanced = 0
        for _short, title, *_rest in data.NEEDS:
            target = _rest[-2]
            need = Need.objects.filter(title=title, status=Status.PUBLISHED).first()
            if need is not None and target in pipeline.ORDER[1:]:
                pipeline.advance(need, target, coordinator, expert)
                advanced += 1
        if advanced:
            pipeline.spread_dates()
        return advanced

    def _use_cases(self, by_short: dict[str, Organisation]) -> int:
        """AI use cases modelled on real European cases (PSTW), assessed and published through the services."""
        if UseCase.objects.exists():
            return 0
        coordinator = User.objects.get(email="koordination@vce.hamburg.example")
        admin = User.objects.get(email="admin@lotsenhaus.example")
        cases = [
            c
            for c in json.loads((Path(__file__).resolve().parents[2] / "pstw_cases.json").read_text())
            if c["technology"] == "Artificial Intelligence"
        ][:8]
        owners = ["SOZ", "BSW", "BA Altona", "LSBG", "BUKEA", "BIS", "ITD", "FB"]
        for index, case in enumerate(cases):
            answers = {"interaction": "chatbot" in case["description"].lower(), "generated_content": index % 3 == 0}
            use_case = use_case_create(
                actor=coordinator,
                organisation=by_short[owners[index]],
                name=case["name"][:200],
                short_description=case["description"][:347] + ("…" if len(case["description"]) > 347 else ""),
                long_description=case["description"][:2500],
                status=[UseCaseStatus.PILOT, UseCaseStatus.PRODUCTION, UseCaseStatus.EVALUATION, UseCaseStatus.IDEA][
                    index % 4
                ],
                ai_type="text" if answers["interaction"] else "other",
                human_oversight="Sachbearbeitung prüft jedes Ergebnis und kann es jederzeit verwerfen.",
                contact_email=f"ki-register@{owners[index].lower().replace(' ', '-')}.hamburg.example",
                source_note=data.SOLUTION_SOURCE.format(id=case["id"], country=case["country"]),
                # The first two carry everything the UK ATRS asks, so that its record set is not empty.
                **(data.ATRS_DEMO if index < 2 else {}),
            )
            assessment_create(
                actor=coordinator,
                use_case=use_case,
                answers=answers,
                justifications={key: "Siehe Beschreibung." for key, value in answers.items() if value},
            )
            if index < 6:
                # Four eyes: the unit submits what it entered, the platform admin approves on the authority's
                # behalf (with the reason the record then shows), the unit publishes.
                use_case_transition(actor=coordinator, use_case=use_case, action="submit")
                use_case_transition(
                    actor=admin,
                    use_case=use_case,
                    action="approve",
                    note="Demo: Die Freigabe der Behörde liegt schriftlich vor.",
                )
                use_case_transition(actor=coordinator, use_case=use_case, action="publish")
        return len(cases)

    def _answers(self) -> int:
        """The demo startup answers two published needs, through the service like a real one."""
        sara = User.objects.get(email="startup@aktenblick.example")
        profile = StartupProfile.objects.get(organisation__name="Aktenblick GmbH")
        created = 0
        for title, approach in data.ANSWERS:
            need = Need.objects.get(title=title)
            if need.answers.filter(startup=profile).exists():
                continue
            answer_save(
                actor=sara,
                need=need,
                solution=profile.solutions.first(),
                approach=approach,
                cost_estimate=Decimal("48000"),
                duration_weeks=16,
            )
            created += 1
        return created

    def _startups(self, admin: User, by_short: dict[str, Organisation]) -> int:
        """About sixty startups with profiles; their solutions are derived from real European cases (PSTW)."""
        cases = json.loads((Path(__file__).resolve().parents[2] / "pstw_cases.json").read_text())
        names = [(name, domain, topic) for name, domain, topic in data.STARTUPS]
        names += [(name, domain, "") for name, domain in data.MORE_STARTUPS]
        created = 0
        for index, (name, domain, topic) in enumerate(names):
            organisation = by_short.get(domain)
            if organisation is None:
                organisation, new = self._organisation(
                    admin,
                    name=name,
                    short_name="",
                    kind=OrganisationKind.STARTUP,
                    parent=None,
                    email_domains=domain,
                    website=f"https://www.{domain}",
                )
                created += new
            if StartupProfile.objects.filter(organisation=organisation).exists():
                continue
            profile = StartupProfile.objects.create(
                organisation=organisation,
                short_description=topic or cases[index % len(cases)]["name"][:350],
                seat="Hamburg" if index % 3 else "Berlin",
                founding_year=2015 + index % 10,
                team_size=5 + index * 3 % 60,
                hosting_locations=["de"] if index % 4 else ["eu"],
                avv_available=index % 2 == 0,
                contact_email=f"kontakt@{domain}",
                verification=Verification.UNVERIFIED if index % 15 == 14 else Verification.VERIFIED,
            )
            for case in (cases[(2 * index) % len(cases)], cases[(2 * index + 1) % len(cases)]):
                Solution.objects.create(
                    profile=profile,
                    name=case["name"],
                    description=case["description"],
                    technologies=_technologies(case["description"]),
                    maturity=Maturity.IN_USE,
                    deployment=["saas"] if index % 2 else ["on_premises"],
                    languages="Englisch",
                    source_note=data.SOLUTION_SOURCE.format(id=case["id"], country=case["country"]),
                )
            created += 1
        aktenblick = StartupProfile.objects.get(organisation__name="Aktenblick GmbH")
        if not aktenblick.references.exists():
            aktenblick.references.create(
                public_body="Bezirksamt Altona", what="Pilot: Posteingang der E-Akte", year=2024
            )
            aktenblick.certifications.create(kind="iso_27001")
        return created

    def _needs(self, by_short: dict[str, Organisation]) -> int:
        """Needs in every state, moved there through the services so that history and audit log are real."""
        coordinator = User.objects.get(email="koordination@vce.hamburg.example")
        deadline = timezone.localdate() + datetime.timedelta(days=42)
        created = 0
        for short, title, problem, outcome, field, technologies, target, hide in data.NEEDS:
            if Need.objects.filter(title=title).exists():
                continue
            organisation = by_short[short]
            need = need_create(
                actor=coordinator,
                organisation=organisation,
                title=title,
                problem=problem,
                desired_outcome=outcome,
                policy_field=field,
                technologies=technologies,
                protection_class="internal",
                hide_organisation=hide,
                contact_name=f"Digitalisierungsteam {organisation.short_name or organisation.name}",
                contact_email=f"bedarf@{organisation.domain_list()[0] if organisation.domain_list() else 'hamburg.de'}",
            )
            for action in PATH_TO[target]:
                need = need_transition(
                    actor=coordinator,
                    need=need,
                    action=action,
                    answer_deadline=deadline if action == "publish" else None,
                )
            created += 1
        return created

    def _organisation(self, actor: User, **fields: Any) -> tuple[Organisation, bool]:
        existing = Organisation.objects.filter(name=fields["name"]).first()
        if existing:
            return existing, False
        return organisation_create(actor=actor, **fields), True

    def _person(self, email: str, name: str, *, superuser: bool = False) -> tuple[User, bool]:
        user = User.objects.filter(email=email).first()
        new = user is None
        if user is None:
            user = User(email=email, name=name, is_superuser=superuser, is_staff=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user, new

    def _totp(self, user: User) -> int:
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return 0
        totp_activate(user, DEMO_TOTP_SECRET)
        return 1

    def load_embeddings(self) -> None:
        """Matching is complete the moment the server starts: the demo texts' embeddings ship with the demo (issue
        21). A text changed since they were written is embedded by the worker, as any new text is."""
        if not EMBEDDINGS.exists():
            return
        with np.load(EMBEDDINGS, allow_pickle=False) as shipped:
            vectors = dict(zip(shipped["hashes"].tolist(), shipped["vectors"], strict=True))
        taken = embeddings_import(vectors=vectors)
        waiting = pending_embeddings().count()
        self.stdout.write(f"Suchvektoren aus dem Demo-Paket: {taken} übernommen, {waiting} berechnet der Worker.")

    def write_embeddings(self) -> None:
        while embeddings_compute(limit=64):
            self.stdout.write(f"  noch {pending_embeddings().count()} Texte …")
        vectors = embeddings_export()
        hashes = sorted(vectors)
        np.savez_compressed(
            EMBEDDINGS,
            hashes=np.array(hashes),
            vectors=np.stack([vectors[h] for h in hashes]).astype(np.float16),
        )
        self.stdout.write(f"{len(hashes)} Suchvektoren nach {EMBEDDINGS} geschrieben.")

    def print_logins(self) -> None:
        w = self.stdout.write
        w("")
        w(f"Anmeldungen (Passwort für alle: {DEMO_PASSWORD})")
        roles = {
            "koordination@vce.hamburg.example": "Koordination (Venture-Client-Einheit, mit 2FA)",
            "bedarf@bsw.hamburg.de": "Bedarfsträger (Behörde für Stadtentwicklung und Wohnen)",
            "bedarf@altona.hamburg.de": "Bedarfsträgerin (Bezirksamt Altona)",
            "startup@aktenblick.example": "Startup (Aktenblick GmbH)",
            "expertin@ki-zentrum.example": "Expertin (KI-Zentrum Hamburg)",
            "admin@lotsenhaus.example": "Plattform-Administration (mit 2FA)",
        }
        for email, label in roles.items():
            w(f"  {label:<58} {email}")
        w("")
        w(f"Zwei-Faktor-Code für Koordination und Administration: Geheimnis {DEMO_TOTP_SECRET}")
        w("  in eine Authenticator-App eintragen, oder: .venv/bin/lotsenhaus totp-demo")
        w("")
