"""Issue 17, D31: the audit log showed `event.invite_to_answer` and `draft → published`; it reads in words now."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from lotsenhaus.core.audit import readable
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.needs.models import Need, Status
from tests.pipeline import build_world

pytestmark = pytest.mark.django_db


def _label(name):
    return capfirst(Need._meta.get_field(name).verbose_name)


def test_the_log_reads_in_words_with_labels_instead_of_codes():
    world = build_world()
    entry = AuditEntry.objects.filter(action="need.publish").latest("at")
    with translation.override("de"):
        words = readable(entry)
        changes = {label: (before, after) for label, before, after in words["changes"]}
        assert changes[_label("status")] == (Status.IN_REVIEW.label, Status.PUBLISHED.label)
        assert words["what"] != entry.action and words["kind"] == capfirst(Need._meta.verbose_name)
        assert "-" not in str(changes[_label("answer_deadline")][1])  # the reader's date format, not ISO
    page = world.client(world.coordinator).get(reverse("core:audit_log")).content.decode()
    assert "in_review → published" not in page
