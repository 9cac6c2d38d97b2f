from typing import Any

from django.contrib import admin

from .admin_site import ReadOnlyAdminMixin
from .models import AccessibilityFeedback, AuditEntry


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Any]):
    """The admin is for looking things up: every change goes through a service, so it is audited.

    The admin site makes every registration read-only anyway (``core/admin_site.py``); this names it.
    """


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_repr", "actor__email"]
    list_select_related = ["actor"]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "name", "email", "page_url"]
