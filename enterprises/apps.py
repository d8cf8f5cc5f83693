from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "排污单位"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from enterprises.models import Enterprise, EnterpriseImport

        auditlog.register(Enterprise, m2m_fields={"users"})
        auditlog.register(EnterpriseImport, exclude_fields=["errors"])
