from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases import models as m

        for model in (m.ViolationType, m.Classification, m.CasePause, m.Deadline):
            auditlog.register(model)
        auditlog.register(m.Case, m2m_fields={"investigators"})
