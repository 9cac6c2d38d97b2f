from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessibilityFeedback, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin is for looking things up: every change goes through a service, so it is audited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_repr", "actor__email"]
    list_select_related = ["actor"]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "name", "email", "page_url"]
