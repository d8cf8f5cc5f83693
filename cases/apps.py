from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases import models as m

        for model in (
            m.ViolationType,
            m.Classification,
            m.CasePause,
            m.Deadline,
            m.DiscretionRecord,
            m.Notice,
            m.NoticeItem,
            m.Measure,
            m.DailyCycle,
            m.CaseDocument,
            m.ServiceRecord,
        ):
            auditlog.register(model)
        auditlog.register(m.Case, m2m_fields={"investigators"})

        from campaign.workdays import calendar_changed

        calendar_changed.connect(_recompute_deadlines, dispatch_uid="cases-recompute")

        from inspections.views.ledger import PROBLEM_PANELS

        if _problem_panel not in PROBLEM_PANELS:
            PROBLEM_PANELS.append(_problem_panel)


def _problem_panel(request, problem):
    """On a problem's page: the path it was put on and its case, for whoever may see them."""
    from cases.selectors.case import problem_handling

    found = problem_handling(user=request.user, problem=problem)
    return ("cases/_problem_panel.html", found) if found else None


def _recompute_deadlines(sender, **kwargs) -> None:
    """Holidays entered for a year: every open clock is computed again, in the background."""
    from cases.tasks import deadlines_recompute

    deadlines_recompute.delay()
