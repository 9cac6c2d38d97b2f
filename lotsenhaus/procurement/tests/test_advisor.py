"""The advisor in the browser and the rules behind it: limits change only with four eyes, an extension of the
experimentation clause entered on the day it is published changes the advice, nothing that decides the
outcome is pre-filled, and the sources are public. (Outcomes per rule: test_scenarios.py.)"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.notifications.models import Notification
from lotsenhaus.procurement import advisor, services
from lotsenhaus.procurement.forms import AdvisorForm
from lotsenhaus.procurement.models import ValueLimit, ValueLimitChange
from lotsenhaus.procurement.selectors import advice_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db

CLAUSE = {"jurisdiction": "hh", "venture_client": True, "subject": "new_technology", "term_months": 12}


def procedure(value, on, **kwargs):
    return advice_for(advisor.Question(value=Decimal(value), on=on, **kwargs)).procedure


def test_an_extension_of_the_clause_needs_a_second_admin_and_then_changes_the_advice(client):
    first, second = make_person(Role.PLATFORM_ADMIN), make_person(Role.PLATFORM_ADMIN)
    clause = ValueLimit.objects.get(key="experimentation_clause", jurisdiction="DE-HH")
    assert procedure(80000, date(2027, 1, 1), **CLAUSE) == "hh_simplified"
    change = services.value_limit_propose(
        actor=first,
        limit=clause,
        version=clause.version,
        reason="Verlängerung, Amtl. Anz. Nr. 99 vom 15.12.2026",
        valid_to=date(2027, 12, 31),
    )
    # The other administrator is asked; nothing happens before they approve, and the proposer cannot approve.
    assert Notification.objects.filter(user=second, key=f"limit-change:{change.pk}", topic="rules").exists()
    assert not Notification.objects.filter(user=first, key=f"limit-change:{change.pk}").exists()
    assert procedure(80000, date(2027, 1, 1), **CLAUSE) == "hh_simplified"
    with pytest.raises(ApplicationError) as refused:
        services.value_limit_change_approve(actor=first, change=change)
    assert refused.value.code == "four_eyes"
    services.value_limit_change_approve(actor=second, change=change)
    assert Notification.objects.filter(user=first, key=f"limit-change-decided:{change.pk}").exists()
    assert procedure(80000, date(2027, 1, 1), **CLAUSE) == "experimentation_clause"
    change.refresh_from_db()
    assert change.state == "approved" and change.decided_by == second and change.before["valid_to"] == "2026-12-31"
    with pytest.raises(ApplicationError):
        services.value_limit_change_approve(actor=second, change=change)


def test_a_stale_or_overlapping_proposal_is_refused():
    admin, other = make_person(Role.PLATFORM_ADMIN), make_person(Role.PLATFORM_ADMIN)
    with pytest.raises(ApplicationError) as overlap:
        services.value_limit_propose(
            actor=admin,
            reason="Test",
            key="direct_award",
            jurisdiction="DE-HH",
            amount=Decimal(15000),
            valid_from=date(2027, 1, 1),
            source="Neu",
        )
    assert overlap.value.field == "valid_from"
    limit = ValueLimit.objects.get(key="direct_award", jurisdiction="DE-HH")
    one = services.value_limit_propose(
        actor=admin, limit=limit, version=limit.version, reason="a", amount=Decimal(6000)
    )
    two = services.value_limit_propose(
        actor=admin, limit=limit, version=limit.version, reason="b", amount=Decimal(7000)
    )
    services.value_limit_change_approve(actor=other, change=one)
    with pytest.raises(ApplicationError) as stale:
        services.value_limit_change_approve(actor=other, change=two)
    assert stale.value.code == "conflict"
    services.value_limit_change_reject(actor=other, change=two)
    assert ValueLimitChange.objects.get(pk=two.pk).state == "rejected"
    assert ValueLimit.objects.get(pk=limit.pk).amount == Decimal(6000)


def test_limits_on_the_pages_with_four_eyes(client):
    first, second = make_person(Role.PLATFORM_ADMIN), make_person(Role.PLATFORM_ADMIN)
    coordinator = make_person(Role.COORDINATOR)
    limit = ValueLimit.objects.get(key="direct_award", jurisdiction="DE")
    client.force_login(first)
    data = {
        "form": "edit",
        "edit-version": limit.version,
        "edit-key": limit.key,
        "edit-jurisdiction": limit.jurisdiction,
        "edit-amount": "20000",
        "edit-valid_from": limit.valid_from.isoformat(),
        "edit-source": limit.source,
        "edit-reason": "BAnz AT 01.12.2026",
    }
    assert client.post(reverse("procurement:limit_edit", args=[limit.pk]), data).status_code == 302
    change = ValueLimitChange.objects.get()
    assert client.post(reverse("procurement:change_decide", args=[change.pk, "approve"])).status_code == 302
    assert ValueLimit.objects.get(pk=limit.pk).amount == Decimal(15000)  # the proposer's approval did nothing
    client.force_login(second)
    client.post(reverse("procurement:change_decide", args=[change.pk, "approve"]))
    assert ValueLimit.objects.get(pk=limit.pk).amount == Decimal(20000)
    client.force_login(coordinator)
    assert client.get(reverse("procurement:limit_edit", args=[limit.pk])).status_code == 403
    assert client.post(reverse("procurement:change_decide", args=[change.pk, "reject"])).status_code == 403


def test_the_advisor_page_prefills_nothing_that_decides_and_shows_the_sources(client):
    client.force_login(make_person(Role.COORDINATOR))
    form = AdvisorForm()
    assert form["venture_client"].initial in (None, False) and not form["jurisdiction"].initial
    page = client.get(reverse("procurement:advisor"))
    assert 'name="venture_client" checked' not in page.content.decode()
    answer = client.get(
        reverse("procurement:advisor"),
        {"jurisdiction": "hh", "value": "80000", "nature": "services", "venture_client": "on",
         "subject": "digitalisation", "term_months": "6", "on": "2026-12-03"},
    )  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 200 and "HmbVgRL Nr. 5" in html and "2026-12-03" in html
    assert reverse("legal_sources") in html


def test_the_legal_sources_are_public(client):
    page = client.get(reverse("legal_sources"))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("2024/1689", "2026/1744", "BAnz AT 29.12.2025 B1", "HmbVgRL", "2025/2152"):
        assert text in html
