"""The violation catalogue is data the administrator corrects here (with history)."""

from django.contrib import admin

from cases.models import ViolationType


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "name", "punished", "basis", "fine_min", "fine_max"]
    list_filter = ["group", "basis"]
    search_fields = ["code", "name", "violated", "punished"]
