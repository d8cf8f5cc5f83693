"""Demo data: regions, the 2020 campaign, synthetic enterprises in every city, and the demo accounts."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import set_actor
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from campaign.models import AccessGrant, Industry, Job, Region, User
from campaign.services import grant_object_access
from demo import cases, crosscheck, jobs, organisation, rectification, stage1, stage2
from demo.campaign import campaign_live
from demo.credit_codes import make_credit_code
from demo.names import GIVEN, SURNAMES, WORDS
from enterprises.models import Enterprise

DEMO_PASSWORD = "demo-pass-2020"
INDUSTRIES = [
    ("2614", "化工", True),
    ("2651", "新材料", True),
    ("2710", "制药", True),
    ("3011", "水泥", True),
    ("3110", "钢铁", True),
    ("3216", "铝业", True),
    ("4411", "热电", True),
    ("2221", "纸业", False),
    ("1713", "印染", False),
    ("1910", "皮革", False),
    ("3360", "表面处理", False),
    ("4620", "水务", True),
    ("7724", "环保科技", True),
    ("1511", "酒业", False),
    ("3041", "玻璃", False),
    ("1441", "乳业", False),
    ("0313", "牧业", False),
]
# counties along the Yellow River main stream (demo flag; the real list is data the bureaus keep)
BASIN_CITIES = {"4101", "4102", "4103", "4108", "4109", "4112", "419001", "4107"}

ACCOUNTS = [
    # username, full name, unit, role, region (level, code), badge, administrator
    ("admin", "系统管理员", "省生态环境执法监督局 信息科", User.Role.ADMIN, None, "", True),
    ("province", "王克", "省生态环境执法监督局", User.Role.PROVINCE, None, "41000020001", False),
    (
        "zhengzhou",
        "刘洋",
        "郑州市生态环境局 执法支队",
        User.Role.CITY,
        ("city", "4101"),
        "41010020001",
        False,
    ),
    (
        "luoyang",
        "陈静",
        "洛阳市生态环境局 执法支队",
        User.Role.CITY,
        ("city", "4103"),
        "41030020001",
        False,
    ),
    (
        "jinshui",
        "赵磊",
        "郑州市生态环境局金水分局",
        User.Role.COUNTY,
        ("county", "410105"),
        "41010520001",
        False,
    ),
    (
        "jinshui-head",
        "杨帆",
        "郑州市生态环境局金水分局 局长",
        User.Role.COUNTY,
        ("county", "410105"),
        "41010520003",
        False,
    ),
    (
        "jianxi",
        "孙涛",
        "洛阳市生态环境局涧西分局",
        User.Role.COUNTY,
        ("county", "410305"),
        "41030520001",
        False,
    ),
    ("expert", "周明", "河南省化工行业专家", User.Role.EXPERT, None, "", False),
    ("patrol", "高群", "一体化执法行动巡查组", User.Role.PATROL, None, "", False),
    ("ent-zz", "吴华", "企业环保负责人", User.Role.ENTERPRISE, None, "", False),
    ("ent-ly", "郭超", "企业环保负责人", User.Role.ENTERPRISE, None, "", False),
]
# the bureaus' 负责人: they approve a case's 立案, suspension, transfer, decision and 结案
CASE_APPROVERS = ("jinshui-head", "luoyang")
# more inspectors for the pools and the cross-region teams (not demo log-ins, same password)
EXTRA_INSPECTORS = [
    ("jinshui-2", "李强", "郑州市生态环境局金水分局", ("county", "410105"), "41010520002"),
    ("jianxi-2", "王芳", "洛阳市生态环境局涧西分局", ("county", "410305"), "41030520002"),
    ("kaifeng-1", "马骏", "开封市生态环境局 执法支队", ("city", "4102"), "41020020001"),
    ("anyang-1", "冯雪", "安阳市生态环境局 执法支队", ("city", "4105"), "41050020001"),
    ("xinxiang-1", "韩冰", "新乡市生态环境局 执法支队", ("city", "4107"), "41070020001"),
    ("nanyang-1", "邓超", "南阳市生态环境局 执法支队", ("city", "4113"), "41130020001"),
]


class Command(BaseCommand):
    help = (
        "载入演示数据（区划、以今天为中心正在进行的年度执法行动、演示单位和演示账号，"
        "密码均为 demo-pass-2020）。可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="DEBUG 关闭时也执行（切勿用于正式库）"
        )
        parser.add_argument("--per-city", type=int, default=6, help="每个省辖市的演示单位数")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG 已关闭：演示数据不能写入正式环境。确需执行请加 --force。")
        call_command("load_reference_data", verbosity=0)
        with transaction.atomic():
            timeline = campaign_live(timezone.localdate())
            users = self._users()
            with set_actor(users["admin"]):
                enterprises = self._enterprises(options["per_city"])
                self._link(users, enterprises)
                organisation.seed(timeline, users)
                stage1.seed(timeline, users)
                stage2.seed(timeline, users)
                cases.seed(timeline, users)
                rectification.seed(timeline, users)
                crosscheck.seed(timeline, users)
                jobs.seed(users)
        self.stdout.write(self.style.SUCCESS(summary(timeline)))

    def _users(self) -> dict[str, User]:
        users = {}
        chemical = Industry.objects.get(code="26")
        extra = [
            (u, n, unit, User.Role.COUNTY if r[0] == "county" else User.Role.CITY, r, b, False)
            for u, n, unit, r, b in EXTRA_INSPECTORS
        ]
        for username, full_name, unit, role, region_key, badge, is_admin in [*ACCOUNTS, *extra]:
            region = (
                Region.objects.get(level=region_key[0], code=region_key[1]) if region_key else None
            )
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "unit": unit,
                    "role": role,
                    "region": region,
                    "badge_no": badge,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        for username in CASE_APPROVERS:
            if not users[username].approves_cases:
                users[username].approves_cases = True
                users[username].save(update_fields=["approves_cases"])
        users["expert"].industries.add(chemical)
        return users

    def _enterprises(self, per_city: int) -> dict[str, Enterprise]:
        rng = random.Random(2020)
        industries = {
            i.code: i for i in Industry.objects.filter(code__in=[c for c, _, _ in INDUSTRIES])
        }
        made: dict[str, Enterprise] = {}
        cities = Region.objects.filter(level=Region.Level.CITY).order_by("code")
        for city in cities:
            counties = list(city.children.filter(level=Region.Level.COUNTY).order_by("code"))
            extra = 4 if city.code in ("4101", "4103") else 0
            for n in range(per_city + extra):
                county = counties[n % len(counties)]
                # the demo enterprise users' units sit in 金水区 and 涧西区
                if city.code == "4101" and n < 3:
                    county = next(c for c in counties if c.code == "410105")
                if city.code == "4103" and n < 3:
                    county = next(c for c in counties if c.code == "410305")
                code, trade, heavy = INDUSTRIES[(n + int(city.code[-2:])) % len(INDUSTRIES)]
                if city.code == "4101" and n == 1:
                    code, trade, heavy = INDUSTRIES[0]  # the chemical unit the expert inspects
                is_key = heavy and n % 3 != 2
                credit = make_credit_code(rng, county.code)
                name = f"{city.name.rstrip('市').replace('示范区', '')}{rng.choice(WORDS)}{trade}有限公司"
                installed = is_key and rng.random() < 0.8
                values = {
                    "name": name,
                    "county": county,
                    "city": city,
                    "address": f"{city.name}{county.name}{rng.choice(WORDS)}路{rng.randint(1, 299)}号",
                    "industry": industries[code],
                    "is_key_unit": is_key,
                    "key_water": is_key and code in ("2614", "2710", "2221", "4620", "1713"),
                    "key_air": is_key and code in ("3011", "3110", "3216", "4411", "2614", "2651"),
                    "key_risk": is_key and code in ("2614", "2651", "7724"),
                    "in_yellow_river_basin": city.code in BASIN_CITIES and rng.random() < 0.6,
                    "permit_no": f"{credit}001{'P' if is_key else 'V'}",
                    "permit_valid_until": dt.date(2022 + rng.randint(0, 3), rng.randint(1, 12), 28),
                    "auto_monitoring_installed": installed,
                    "auto_monitoring_connected": installed and rng.random() < 0.9,
                    "legal_representative": rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + rng.choice(GIVEN),
                    "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "contact_phone": f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}",
                    "longitude": Decimal("113.6") + Decimal(rng.randint(-150000, 150000)) / 100000,
                    "latitude": Decimal("34.0") + Decimal(rng.randint(-150000, 150000)) / 100000,
                }
                enterprise, _ = Enterprise.objects.get_or_create(
                    credit_code=credit, defaults=values
                )
                made[f"{city.code}-{n}"] = enterprise
        return made

    def _link(self, users: dict[str, User], enterprises: dict[str, Enterprise]) -> None:
        ent_zz, ent_ly = enterprises["4101-0"], enterprises["4103-0"]
        ent_zz.users.add(users["ent-zz"])
        ent_ly.users.add(users["ent-ly"])
        # the chemical expert is on one inspection team in 郑州: a time-boxed grant on that unit
        chemical_unit = enterprises["4101-1"]
        if not AccessGrant.objects.filter(user=users["expert"], revoked_at__isnull=True).exists():
            grant_object_access(
                user=users["expert"],
                obj=chemical_unit,
                granted_by=users["zhengzhou"],
                ends_at=timezone.now() + dt.timedelta(days=365),
                reason="一体化执法现场检查专家（化工行业）",
            )


def summary(timeline) -> str:
    """What the demo holds, counted from the database (not what this run meant to write)."""
    from campaign.selectors import calendar as calendar_selectors
    from cases.models import Case, Notice
    from crosscheck.models import Accountability, Team, VerificationRound
    from inspections.models import Inspection, Problem, SelfCheck
    from rectification.models import RectificationItem, RectificationPlan

    campaign = timeline.campaign
    open_stages = [
        w.get_stage_display()
        for w in campaign.windows.filter(city__isnull=True)
        if w.starts_on <= timeline.today <= w.ends_on
    ]
    demo_logins = User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).count()
    inspectors = User.objects.filter(username__in=[e[0] for e in EXTRA_INSPECTORS]).count()
    enterprise_users = User.objects.filter(role=User.Role.ENTERPRISE).count()

    def by_status(model) -> str:
        rows = model.objects.filter(campaign=campaign)
        return "、".join(
            f"{label} {rows.filter(status=value).count()}"
            for value, label in model.Status.choices
            if rows.filter(status=value).exists()
        )

    def by_status_all(model) -> str:
        return "、".join(
            f"{label} {n}"
            for value, label in model.Status.choices
            if (n := model.objects.filter(status=value).count())
        )

    def by_status_items() -> str:
        rows = RectificationItem.objects.filter(plan__campaign=campaign)
        return (
            "、".join(
                f"{label} {n}"
                for value, label in RectificationItem.Status.choices
                if (n := rows.filter(status=value).count())
            )
            or "无"
        )

    current = calendar_selectors.campaign_current()
    return "\n".join(
        [
            f"演示数据已就绪：{campaign.name}"
            + ("（当前年度）" if current and current.pk == campaign.pk else ""),
            f"  今天所处阶段：{'、'.join(open_stages) or '无'}",
            f"  排污单位 {Enterprise.objects.count()} 家（重点 "
            f"{Enterprise.objects.filter(is_key_unit=True).count()} 家）",
            f"  演示登录账号 {demo_logins} 个，另有执法人员 {inspectors} 个、企业账号 "
            f"{enterprise_users} 个（密码均为 {DEMO_PASSWORD}，见 README）",
            f"  企业自查表：{by_status(SelfCheck) or '无'}",
            f"  现场检查：{by_status(Inspection) or '无'}",
            f"  问题台账：{Problem.objects.filter(campaign=campaign, primary__isnull=True).count()}"
            " 个问题（不含重复发现）",
            f"  案件：{by_status(Case) or '无'}",
            f"  事先告知书：{by_status(Notice) or '无'}",
            f"  一企一案：{RectificationPlan.objects.filter(campaign=campaign).count()} 个方案；"
            f"整改事项 {by_status_items()}",
            f"  异地核查轮次：{by_status(VerificationRound) or '无'}；核查组 "
            f"{Team.objects.filter(round__campaign=campaign).count()} 个；问责记录 "
            f"{by_status_all(Accountability) or '无'}",
            f"  后台任务：{by_status_all(Job) or '无'}",
        ]
    )
