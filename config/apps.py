"""The third-party apps under Chinese names in the administration pages (their sections read in
English otherwise). Each keeps its label, models and behaviour; only the section name changes.
(rest_framework.authtoken cannot be swapped: its models are abstract unless it is listed by name;
its section reads 认证令牌 from DRF's own translation.)"""

from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesConfig
from guardian.apps import GuardianConfig


class ChineseAuditlog(AuditlogConfig):
    verbose_name = "变更记录"


class ChineseAxes(AxesConfig):
    verbose_name = "登录锁定"
    # django-axes ships no Chinese translation; the names are set on the models' options only
    # (their migration state reads Meta as written, so no migration follows from this)
    model_names = {
        "AccessAttempt": "登录失败计数",
        "AccessFailureLog": "登录失败记录",
        "AccessLog": "登录记录",
        "AccessAttemptExpiration": "登录锁定到期时间",
    }

    def ready(self):
        super().ready()
        for model in self.get_models():
            name = self.model_names.get(model.__name__)
            if name:
                model._meta.verbose_name = model._meta.verbose_name_plural = name


class ChineseGuardian(GuardianConfig):
    verbose_name = "对象授权"
