"""The actor type: a service that records who did something gets a user account, never an anonymous reader."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from lotsenhaus.accounts.actors import signed_in
from lotsenhaus.core.roles import Role
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_signed_in_passes_an_account_and_refuses_an_anonymous_reader():
    person = make_person(Role.NEED_OWNER)
    assert signed_in(person) is person
    with pytest.raises(PermissionDenied):
        signed_in(AnonymousUser())
