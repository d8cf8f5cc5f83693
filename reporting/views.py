"""Where the campaign stands, per user: the home page is a small report, scoped like every other."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from campaign import access, counting, workdays
from campaign import selectors as campaign_selectors
from campaign.selectors import calendar
from campaign.selectors import organisation as organisation_selectors
from campaign.views import AuthenticatedMixin
from crosscheck.selectors import record as crosscheck_records
from crosscheck.selectors import team as crosscheck_teams
from enterprises import selectors as enterprise_selectors
from inspections.selectors import onsite as onsite_selectors
from inspections.selectors import selfcheck as inspection_selectors
from rectification.models import FacilityProposal, RectificationItem
from rectification.selectors import plan as rectification_selectors


class HomeView(AuthenticatedMixin, TemplateView):
    template_name = "reporting/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        campaign = campaign_selectors.campaign_current()
        # a city that shifted its windows sees its own; its counties and enterprises too
        statuses = campaign_selectors.campaign_stage_statuses(
            campaign, city_id=calendar.user_city_id(user)
        )
        context = super().get_context_data(**kwargs)
        context.update(
            campaign=campaign,
            statuses=statuses,
            open_stages=[s for s in statuses if s.state == "open"],
            next_stage=next((s for s in statuses if s.state == "upcoming"), None),
            all_closed=bool(statuses) and all(s.state == "closed" for s in statuses),
            reach=access.jurisdiction(user).reach.value,
            active_grants=user.grants.filter(revoked_at__isnull=True, ends_at__gt=timezone.now()),
        )
        if user.has_perm("campaign.manage_platform"):
            # the administrator is told which year's holidays the statutory clocks lack
            context["holiday_missing"] = workdays.missing_now(timezone.localdate())
        if campaign is not None:
            assignments = organisation_selectors.assignments(user=user, campaign=campaign)
            context["my_assignments"] = [a for a in assignments if a.user_id == user.pk]
            if user.has_perm("campaign.oversee_integrity"):
                context["unsigned_count"] = assignments.filter(commitment__isnull=True).count()
                context["unchecked_count"] = assignments.filter(
                    self_check__isnull=True, ends_on__lt=timezone.localdate()
                ).count()
                context["open_complaints"] = (
                    organisation_selectors.complaints(user=user).exclude(status="concluded").count()
                )
            if user.has_perm("campaign.view_liaisons"):
                statuses_l = organisation_selectors.liaison_statuses(user=user, campaign=campaign)
                context["liaison_done"] = sum(
                    1 for s in statuses_l if s.state in ("complete", "late")
                )
                context["liaison_total"] = len(statuses_l)
        if campaign is not None and user.has_perm("inspections.view_selfcheck"):
            checks = inspection_selectors.self_check_list(user=user, campaign=campaign)
            context["self_check_waiting"] = checks.filter(status="submitted").count()
            context["self_check_mine"] = (
                list(checks) if user.has_perm("inspections.fill_selfcheck") else None
            )
        if campaign is not None and user.has_perm("inspections.view_inspection"):
            if user.has_perm("inspections.fill_selfcheck"):  # the enterprise: its copies
                context["own_records"] = list(
                    onsite_selectors.own_unit_records(user=user, campaign=campaign)[:10]
                )
            else:
                context["my_inspections"] = list(
                    onsite_selectors.my_inspections(user=user, campaign=campaign)[:20]
                )
                context["today"] = timezone.localdate()
        if campaign is not None and user.has_perm("rectification.view_rectificationplan"):
            context["rectification"] = _rectification(user, campaign)
        if user.has_perm("crosscheck.view_accountability") or user.has_perm(
            "crosscheck.view_verificationrecord"
        ):
            context["crosscheck"] = {"places": crosscheck_teams.open_places(user=user)}
            if user.has_perm("crosscheck.view_accountability"):
                context["crosscheck"] |= crosscheck_records.accountability_tasks(
                    user=user, today=timezone.localdate()
                )
        if user.has_perm("enterprises.view_enterprise"):
            # counts go through the same policy as the lists they summarise
            enterprises = enterprise_selectors.enterprise_list(user=user)
            context["enterprise_count"] = enterprises.count()
            context["key_unit_count"] = enterprises.filter(is_key_unit=True).count()
            context["basin_count"] = enterprises.filter(in_yellow_river_basin=True).count()
            context["my_enterprises"] = (
                list(enterprises[:20])
                if access.jurisdiction(user).reach.value in ("enterprise", "grants_only")
                else None
            )
        return context


def _rectification(user, campaign) -> dict[str, Any]:
    """What is due and overdue in stage 4: the enterprise's own items, the officer's supervised
    ones (a city's escalated ones too), and what waits for the bureau."""
    found: dict[str, Any] = rectification_selectors.due_items(user=user, campaign=campaign)
    found["city"] = access.jurisdiction(user).reach is access.Reach.CITY
    if user.has_perm("rectification.handle_rectification"):
        items = rectification_selectors.items(user=user, campaign=campaign)
        found["applied"] = items.filter(status=RectificationItem.Status.APPLIED).count()
        found["proposals"] = (
            rectification_selectors.proposals(user=user, campaign=campaign)
            .filter(status=FacilityProposal.Status.PROPOSED)
            .count()
        )
        # open problems no plan has gathered yet: what 登记造册 still has to do (one pass over
        # the campaign's problems; cached until a problem or an item is written)
        found["waiting"] = counting.count(
            rectification_selectors.problems_without_item(user=user, campaign=campaign)
        )
    return found
