"""The procurement path advisor at every threshold edge: just below, at and above each limit, before and after
the change of EU thresholds on 1 January 2026. The limits come from the seeded data, not from the code."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from lotsenhaus.core.roles import Role
from lotsenhaus.procurement import advisor, services
from lotsenhaus.procurement.models import ValueLimit
from lotsenhaus.procurement.selectors import advice_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db

NEW = date(2026, 3, 1)  # EU thresholds 2026/2027
OLD = date(2025, 12, 31)  # EU thresholds 2024/2025
CENT = Decimal("0.01")


def procedure(value, *, on=NEW, **kwargs):
    return advice_for(advisor.Question(value=Decimal(value), on=on, **kwargs)).procedure


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        # Direktauftrag up to and including 5,000 €
        (Decimal(5000) - CENT, {}, "direct_award"),
        (Decimal(5000), {}, "direct_award"),
        (Decimal(5000) + CENT, {}, "experimentation_clause"),
        (Decimal(5000) + CENT, {"venture_client": False}, "negotiated_award"),
        # Experimentation clause (with the unit) and Verhandlungsvergabe (without) up to 100,000 €
        (Decimal(100000), {}, "experimentation_clause"),
        (Decimal(100000) + CENT, {}, "public_tender"),
        (Decimal(100000), {"venture_client": False}, "negotiated_award"),
        (Decimal(100000) + CENT, {"venture_client": False}, "public_tender"),
        (Decimal(150000), {"innovative": True, "venture_client": False}, "negotiated_innovative"),
        # EU threshold for sub-central authorities, 216,000 € from 2026
        (Decimal(216000) - CENT, {}, "public_tender"),
        (Decimal(216000), {}, "eu_open"),
        (Decimal(216000) + CENT, {}, "eu_open"),
        (Decimal(216000), {"innovative": True}, "innovation_partnership"),
        # Central government authorities, 140,000 €
        (Decimal(140000) - CENT, {"body": "central"}, "public_tender"),
        (Decimal(140000), {"body": "central"}, "eu_open"),
        # Works, 5,404,000 €
        (Decimal(5404000) - CENT, {"nature": "works"}, "national_works"),
        (Decimal(5404000), {"nature": "works"}, "eu_works"),
        # Social and other specific services, 750,000 €
        (Decimal(750000) - CENT, {"nature": "social"}, "public_tender"),
        (Decimal(750000), {"nature": "social"}, "eu_social"),
        # Pre-commercial R&D is outside procurement law whatever the value
        (Decimal(2000000), {"nature": "rd"}, "pre_commercial"),
    ],
)
def test_the_advisor_at_each_threshold_edge(value, kwargs, expected):
    assert procedure(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "on", "expected"),
    [
        (Decimal(216000), OLD, "public_tender"),  # below the old 221,000 €
        (Decimal(221000) - CENT, OLD, "public_tender"),
        (Decimal(221000), OLD, "eu_open"),
        (Decimal(216000), date(2026, 1, 1), "eu_open"),  # the new limit from its first day
    ],
)
def test_the_limits_valid_on_the_award_date_apply(value, on, expected):
    assert procedure(value, on=on) == expected


def test_the_advice_cites_its_limits_notes_ex_post_publication_and_says_it_is_no_legal_advice():
    below = advice_for(advisor.Question(value=Decimal(25000) - CENT, on=NEW))
    at = advice_for(advisor.Question(value=Decimal(25000), on=NEW, it_kind="saas"))
    assert not below.notes and "Ex-post" in at.notes[0]
    assert {limit.key for limit in at.limits_used} >= {
        "eu_services_subcentral",
        "direct_award",
        "experimentation_clause",
    }
    assert at.contract == ("EVB-IT Cloud", "für Software, die als Dienst genutzt wird")
    assert "keine Rechtsberatung" in at.disclaimer


def test_without_limits_for_the_date_there_is_no_guess():
    assert procedure(Decimal(1000), on=date(2020, 1, 1)) == "unknown"


def test_limits_are_data_edited_by_platform_admins_only(client):
    admin = make_person(Role.PLATFORM_ADMIN)
    coordinator = make_person(Role.COORDINATOR)
    current = ValueLimit.objects.get(key="direct_award", jurisdiction="DE-HH")
    with pytest.raises(Exception, match="überschneidet"):
        services.value_limit_create(
            actor=admin,
            key="direct_award",
            jurisdiction="DE-HH",
            amount=Decimal(15000),
            valid_from=date(2027, 1, 1),
            source="Neu",
        )
    services.value_limit_update(actor=admin, limit=current, version=current.version, valid_to=date(2026, 12, 31))
    services.value_limit_create(
        actor=admin,
        key="direct_award",
        jurisdiction="DE-HH",
        amount=Decimal(15000),
        valid_from=date(2027, 1, 1),
        source="Neu",
    )
    assert procedure(Decimal(10000), on=date(2027, 2, 1)) == "direct_award"
    assert procedure(Decimal(10000), on=date(2026, 12, 31)) == "experimentation_clause"
    client.force_login(coordinator)
    assert client.get(reverse("procurement:limit_edit", args=[current.pk])).status_code == 403
    assert client.get(reverse("procurement:limits")).status_code == 200
    page = client.get(
        reverse("procurement:advisor"),
        {"value": "216000", "body": "subcentral", "nature": "services", "venture_client": "on"},
    )
    assert "Offenes oder nicht offenes EU-Verfahren" in page.content.decode()
