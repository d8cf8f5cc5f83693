"""Role decides what a user may do; the access policy decides where.

The permissions of each role live here, in one table, instead of in groups
edited by hand in the admin: a role change takes effect at once and the
table is reviewed with the code.
"""

from __future__ import annotations

from typing import Any

from campaign.models import User

Role = User.Role

_ENTERPRISE_READ = {"enterprises.view_enterprise"}
_SELF_CHECK_READ = {"inspections.view_selfcheck", "inspections.view_problem"}
_SELF_CHECK_REVIEW = _SELF_CHECK_READ | {
    "inspections.review_selfcheck",
    "inspections.view_inspection",
    "inspections.plan_inspection",
}
_ENTERPRISE_WRITE = (
    _ENTERPRISE_READ
    | _SELF_CHECK_REVIEW
    | {
        "enterprises.add_enterprise",
        "enterprises.change_enterprise",
        "enterprises.import_enterprise",
    }
)

# stage 3: the bureaus handle their region's cases, the province all; who approves a step is the
# person's capability (`User.approves_cases`), checked by the case services
_CASE_READ = {"cases.view_case", "cases.view_notice", "cases.view_casedocument"}
_CASE_HANDLE = _CASE_READ | {"cases.handle_case"}
# stage 4: the bureaus guide and verify their region's plans; the enterprise reports on its own
_RECT_READ = {"rectification.view_rectificationplan"}
# writing on an item: its plan, progress, evidence (the services decide which part each side writes)
_RECT_WRITE = _RECT_READ | {"rectification.change_rectificationitem"}
_RECT_HANDLE = _RECT_WRITE | {"rectification.handle_rectification"}
# stage 5: the province draws the key units' sample, a city its non-key units'; the administrator
# reads the rounds (the policy keeps each sample confidential until its release)
_VERIFY_READ = {"crosscheck.view_verificationround"}
_VERIFY_DRAW = _VERIFY_READ | {"crosscheck.draw_sample"}
# the verification records: whoever may be in a team writes them (the service asks for a place in
# the record's team and a current grant on its unit); the organiser reads them
_RECORDS = {"crosscheck.view_verificationrecord"}
# accountability: a person reads their own, the city answers for its people, the province decides,
# the patrol group reads those concerning integrity (the policy limits which); the administrator
# runs the platform and reads neither the records nor the accountability
_ACCOUNT_READ = {"crosscheck.view_accountability"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _ENTERPRISE_WRITE
        | {
            "campaign.manage_platform",
            "campaign.add_assignment",
            "campaign.submit_liaison",
            "campaign.set_city_window",
            "campaign.view_organisation",
            "campaign.view_liaisons",
        }
        | _CASE_READ
        | _RECT_READ
        | _VERIFY_READ
    ),
    Role.PROVINCE: frozenset(
        _ENTERPRISE_WRITE
        | _CASE_HANDLE
        | _RECT_HANDLE
        | _VERIFY_DRAW
        | _RECORDS
        | _ACCOUNT_READ
        | {"crosscheck.decide_accountability"}
        | {
            "campaign.add_assignment",
            "campaign.view_organisation",
            "campaign.view_liaisons",
            "campaign.oversee_integrity",
        }
    ),
    Role.CITY: frozenset(
        _ENTERPRISE_WRITE
        | _CASE_HANDLE
        | _RECT_HANDLE
        | _VERIFY_DRAW
        | _RECORDS
        | _ACCOUNT_READ
        | {"crosscheck.respond_accountability"}
        | {"campaign.submit_liaison", "campaign.set_city_window", "campaign.view_liaisons"}
    ),
    Role.COUNTY: frozenset(
        _ENTERPRISE_WRITE | _CASE_HANDLE | _RECT_HANDLE | _RECORDS | _ACCOUNT_READ
    ),
    Role.EXPERT: frozenset(
        _ENTERPRISE_READ | _SELF_CHECK_READ | {"inspections.view_inspection"} | _RECORDS
    ),
    # the enterprise reads its own submitted inspection records (the policy limits which)
    Role.ENTERPRISE: frozenset(
        _ENTERPRISE_READ
        | _SELF_CHECK_READ
        | {"inspections.fill_selfcheck", "inspections.view_inspection"}
        # its own served notices, and its answers to them (the policy limits which)
        | {"cases.view_notice", "cases.reply_notice", "cases.view_casedocument"}
        # its own rectification plan: progress, evidence, 申请销号, 延期
        | _RECT_WRITE
        | {"rectification.report_rectification"}
    ),
    Role.PATROL: frozenset(
        {"campaign.handle_complaint", "campaign.oversee_integrity"} | _ACCOUNT_READ
    ),
}


class RolePermissionBackend:
    """Answers model-level permissions from ROLE_PERMISSIONS; never object-level ones."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), frozenset()))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
