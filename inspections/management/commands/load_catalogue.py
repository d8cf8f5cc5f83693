from django.core.management.base import BaseCommand

from inspections.catalogue import load_catalogue


class Command(BaseCommand):
    help = "载入检查项目目录（fixtures/check-items-2020.json）。已冻结的版本不会被修改。"

    def add_arguments(self, parser):
        parser.add_argument("--code", default="2020-v1")

    def handle(self, *args, **options):
        version = load_catalogue(code=options["code"])
        self.stdout.write(
            self.style.SUCCESS(f"检查项目目录 {version.code}：{version.items.count()} 项。")
        )
