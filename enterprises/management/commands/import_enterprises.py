from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.models import User
from enterprises import services
from enterprises.models import EnterpriseImport


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入排污单位名单：全部校验通过才写入；有错误时列出行号和列名并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件路径（.xlsx）")
        parser.add_argument(
            "--user", default="admin", help="以哪个账号的名义导入（决定管辖范围，并记入变更记录）"
        )
        parser.add_argument(
            "--list-kind",
            default=EnterpriseImport.ListKind.KEY_UNITS,
            choices=EnterpriseImport.ListKind.values,
            help="名单类型",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            actor = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"账号不存在：{options['user']}") from exc
        with path.open("rb") as handle:
            record = services.enterprise_import(
                actor=actor, file=handle, original_name=path.name, list_kind=options["list_kind"]
            )
        if record.status == EnterpriseImport.Status.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"导入成功：{record.rows_total} 行，新增 {record.created_count}，更新 {record.updated_count}，"
                    f"未变化 {record.unchanged_count}。"
                )
            )
            return
        for error in record.errors:
            where = f"第 {error['row']} 行" + (
                f" {error['column']}（{error['letter']} 列）" if error["column"] else ""
            )
            self.stderr.write(f"{where}：{error['message']}")
        raise CommandError(f"校验发现 {record.error_count} 处错误，未写入任何数据。")
