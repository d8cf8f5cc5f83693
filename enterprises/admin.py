from django.contrib import admin

from campaign import access
from enterprises.models import Enterprise, EnterpriseImport


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "city", "county", "is_key_unit", "in_yellow_river_basin"]
    list_filter = ["is_key_unit", "in_yellow_river_basin", "city"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["users"]
    raw_id_fields = ["county", "industry"]

    def get_queryset(self, request):
        # the admin asks the same policy as every other page
        return access.visible(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        # the stored city follows the county, as in every other path
        obj.city_id = obj.county.parent_id
        super().save_model(request, obj, form, change)


@admin.register(EnterpriseImport)
class EnterpriseImportAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "list_kind",
        "status",
        "rows_total",
        "created_by",
        "created_at",
    ]
    readonly_fields = [f.name for f in EnterpriseImport._meta.fields]

    def get_queryset(self, request):
        return access.visible(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False
