from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "检查与问题台账"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from inspections import models as m

        for model in (
            m.CatalogueVersion,
            m.CampaignCatalogue,
            m.CheckItem,
            m.Evidence,
            m.SelfCheck,
            m.SelfCheckAnswer,
            m.SelfCheckSubmission,
            m.Inspection,
            m.InspectionMember,
            m.InspectionFinding,
            m.Problem,
        ):
            auditlog.register(
                model, m2m_fields={"evidence"} if hasattr(model, "evidence") else None
            )
