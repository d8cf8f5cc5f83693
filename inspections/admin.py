from django.contrib import admin, messages
from django.utils import timezone

from inspections.catalogue import catalogue_copy
from inspections.models import CatalogueVersion, CheckItem, Problem, SelfCheck


class CheckItemInline(admin.StackedInline):
    model = CheckItem
    extra = 0
    fields = [
        "code",
        "area",
        "order",
        "title",
        "points",
        "standard",
        "legal_basis",
        "problem_kind",
        "industry_prefixes",
        "key_types",
        "key_unit_only",
        "hazardous_waste",
        "auto_monitoring",
        "tailings_pond",
        "radiation",
        "permit_classes",
    ]

    def _editable(self, obj) -> bool:
        return obj is None or not obj.is_frozen

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    """Administrators extend the catalogue; a version a campaign uses is frozen, so changes go into a copy."""

    list_display = ["code", "name", "frozen_at", "created_at"]
    inlines = [CheckItemInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "name", "frozen_at"] if obj and obj.is_frozen else ["frozen_at"]

    @admin.action(description="复制为新版本（可编辑）")
    def copy_as_new_version(self, request, queryset):
        for version in queryset:
            stamp = timezone.localtime().strftime("%Y%m%d%H%M")
            copy = catalogue_copy(
                source=version, code=f"{version.code}-{stamp}"[:20], name=f"{version.name}（修订）"
            )
            messages.success(request, f"已复制为 {copy.code}，共 {copy.items.count()} 项。")


@admin.register(SelfCheck)
class SelfCheckAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "campaign", "status", "submitted_at", "is_late"]
    list_filter = ["status", "is_late"]
    readonly_fields = [f.name for f in SelfCheck._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read-only: a problem changes through the ledger service only, and is never deleted."""

    list_display = ["enterprise", "item", "source", "kind", "status", "found_at"]
    list_filter = ["source", "kind", "status"]
    readonly_fields = [*(f.name for f in Problem._meta.fields), "evidence"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
