from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lotsenhaus.core.admin import ReadOnlyAdmin

from .models import Membership, Organisation


class MembershipInline(admin.TabularInline[Any, Any]):
    model = Membership
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [MembershipInline]
