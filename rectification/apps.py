import dataclasses

from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "指导整改"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from rectification import models as m

        # the item's reverse one-to-one to its proposal is the proposal's own history (diffing it
        # cost a query per new item)
        auditlog.register(m.RectificationItem, exclude_fields=["facility_proposal"])
        for model in (
            m.RectificationPlan,
            m.ItemMeasure,
            m.Milestone,
            m.ProgressReport,
            m.ItemEvidence,
            m.Extension,
            m.FacilityProposal,
        ):
            auditlog.register(model)
        auditlog.register(m.ItemCheck, m2m_fields={"officers"})
        auditlog.register(m.GuidanceActivity, m2m_fields={"enterprises", "plans", "officers"})

        # evidence proving a rectification is visible where its item is
        from inspections.models import Evidence

        if "rectification_uses" not in Evidence.access_paths.via:
            Evidence.access_paths = dataclasses.replace(
                Evidence.access_paths, via=(*Evidence.access_paths.via, "rectification_uses")
            )

        # the ledger tells the plan about new and moved problems (inside its transaction)
        from inspections.services.ledger import problem_changed
        from rectification.services.plan import on_problem_changed

        problem_changed.connect(on_problem_changed, dispatch_uid="rectification-follow")

        from django.db.models.signals import post_save

        from cases.models import CaseDocument

        post_save.connect(_order_issued, sender=CaseDocument, dispatch_uid="rectification-order")

        from inspections.views.ledger import PROBLEM_PANELS

        if _problem_panel not in PROBLEM_PANELS:
            PROBLEM_PANELS.append(_problem_panel)


def _order_issued(sender, instance, created, **kwargs) -> None:
    """A 责令改正 order issued on a case whose problems are in plans becomes their requirement."""
    if created and instance.kind == instance.Kind.ORDER:
        from rectification.services.plan import on_order_issued

        on_order_issued(instance, instance.issued_by)


def _problem_panel(request, problem):
    """On a problem's page: its rectification item, for whoever may see it."""
    from rectification.selectors import plan as selectors

    item = selectors.item_for_problem(user=request.user, problem=problem)
    return ("rectification/_problem_panel.html", {"rect_item": item}) if item else None
