"""`generate_scale --factor F`: synthetic data at the size of Henan × F, for benchmarks only."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import scale


class Command(BaseCommand):
    help = (
        "生成与河南省规模成比例的合成数据（系数 1 ≈ 13 万家排污单位、5 万次现场检查、25 万个问题），"
        "仅用于性能测试；只写入空库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="规模系数（1 = 河南省）")
        parser.add_argument("--seed", type=int, default=2020, help="随机种子（同种子同数据）")
        parser.add_argument(
            "--force", action="store_true", help="DEBUG 关闭时也执行（只用于性能测试专用库）"
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="已生成的库：只补写其后新增阶段的数据（一企一案整改方案、执法能手库与专家库），已有则不写",
        )

    def handle(self, *args, **options):
        factor = options["factor"]
        if not 0 < factor <= 20:
            raise CommandError("规模系数须大于 0 且不超过 20。")
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG 已关闭：合成数据不能写入正式环境。确为性能测试专用库，请加 --force。"
            )
        call_command("load_reference_data", verbosity=0)
        started = time.monotonic()
        if options["complete"]:
            try:
                summary = scale.complete(seed=options["seed"], log=lambda m: self.stdout.write(m))
            except scale.DatabaseNotEmpty as exc:
                raise CommandError("数据库中没有 generate_scale 生成的数据：无从补写。") from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"已补写（种子 {options['seed']}，用时 {time.monotonic() - started:.0f} 秒）："
                    f"整改方案 {summary.plans}，整改事项 {summary.items}，"
                    f"执法能手 {summary.skilled}，专家 {summary.experts}。"
                )
            )
            return
        try:
            summary = scale.generate(
                factor=factor, seed=options["seed"], log=lambda m: self.stdout.write(m)
            )
        except scale.DatabaseNotEmpty as exc:
            raise CommandError(
                "数据库中已有账号、执法行动、排污单位、自查表、检查记录或问题：合成数据只写入空库，"
                "以免与真实数据混在一起。请换用新的数据库。"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成（系数 {factor:g}，种子 {options['seed']}，用时 {time.monotonic() - started:.0f} 秒）："
                f"排污单位 {summary.enterprises}，重点排污单位 {summary.key_units}，"
                f"账号 {summary.users}，自查表 {summary.self_checks}，现场检查 {summary.inspections}，"
                f"检查项目结果 {summary.findings}，问题 {summary.problems}，案件 {summary.cases}，"
                f"分类处置 {summary.classifications}，办案期限 {summary.deadlines}，"
                f"整改方案 {summary.plans}，整改事项 {summary.items}，"
                f"执法能手 {summary.skilled}，专家 {summary.experts}。"
                f"账号以 {scale.PREFIX} 开头，密码 {scale.PASSWORD}。"
            )
        )
