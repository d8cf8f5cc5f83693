from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from campaign.models import AccessGrant, Campaign, Industry, Region, StageWindow, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "badge_no", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "badge_no"]
    autocomplete_fields = ["region", "industries"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "身份与范围",
            {
                "fields": [
                    "full_name",
                    "role",
                    "region",
                    "badge_no",
                    "approves_cases",
                    "phone",
                    "industries",
                    "email",
                ]
            },
        ),
        ("状态", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "password1", "password2", "full_name", "role", "region"],
            },
        ),
    ]


class StageWindowInline(admin.TabularInline):
    model = StageWindow
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "is_current"]
    inlines = [StageWindowInline]


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "permission",
        "object_pk",
        "reason",
        "starts_at",
        "ends_at",
        "revoked_at",
        "granted_by",
    ]
    list_filter = ["permission"]
    readonly_fields = [f.name for f in AccessGrant._meta.fields]

    actions = ["revoke"]

    def has_add_permission(self, request):
        # grants are made by the workflows that need them (services), never typed in by hand
        return False

    def has_delete_permission(self, request, obj=None):
        # deleting the record would leave the permission behind: grants are revoked, never deleted
        return False

    @admin.action(description="撤销所选授权")
    def revoke(self, request, queryset):
        from campaign.services import revoke_grant

        for grant in queryset.filter(revoked_at__isnull=True):
            revoke_grant(grant=grant)
