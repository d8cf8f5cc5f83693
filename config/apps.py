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


class ChineseGuardian(GuardianConfig):
    verbose_name = "对象授权"
