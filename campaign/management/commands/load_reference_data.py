from django.core.management.base import BaseCommand

from campaign.reference import load_all


class Command(BaseCommand):
    help = "载入参考数据：河南省 2020 年行政区划、国民经济行业分类（GB/T 4754-2017）。可重复执行。"

    def handle(self, *args, **options):
        created = load_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"参考数据已就绪：新增区域 {created['regions']} 个，新增行业 {created['industries']} 个。"
            )
        )
