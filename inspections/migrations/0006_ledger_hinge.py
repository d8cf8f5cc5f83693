"""The ledger as a hinge: events of one shape, regions stored on records, primaries."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0005_complaint_transition_status_event'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('enterprises', '0002_registry_applicability_flags'),
        ('inspections', '0005_list_orders_and_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProblemEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=30, verbose_name='原状态')),
                ('to_status', models.CharField(max_length=30, verbose_name='新状态')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('ref_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='来源记录编号')),
            ],
            options={
                'verbose_name': '问题状态记录',
                'verbose_name_plural': '问题状态记录',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SelfCheckEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=30, verbose_name='原状态')),
                ('to_status', models.CharField(max_length=30, verbose_name='新状态')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
            ],
            options={
                'verbose_name': '自查表状态记录',
                'verbose_name_plural': '自查表状态记录',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        # the self-found problem an inspection confirmed becomes the general "primary" link
        migrations.RenameField(
            model_name='problem',
            old_name='same_as',
            new_name='primary',
        ),
        migrations.AddField(
            model_name='inspection',
            name='city',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属省辖市'),
        ),
        migrations.AddField(
            model_name='inspection',
            name='county',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属县（市、区）'),
        ),
        migrations.AddField(
            model_name='inspectionevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=30, verbose_name='原状态'),
        ),
        migrations.AddField(
            model_name='inspectionevent',
            name='to_status',
            field=models.CharField(default='', max_length=30, verbose_name='新状态'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='problem',
            name='city',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属省辖市'),
        ),
        migrations.AddField(
            model_name='problem',
            name='county',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属县（市、区）'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='primary',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='confirmations', to='inspections.problem', verbose_name='主问题（已登记的同一问题）'),
        ),
        migrations.AddField(
            model_name='selfcheck',
            name='city',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属省辖市'),
        ),
        migrations.AddField(
            model_name='selfcheck',
            name='county',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaign.region', verbose_name='所属县（市、区）'),
        ),
        migrations.AlterField(
            model_name='inspectionevent',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='inspectionevent',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='inspectionevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='更改内容'),
        ),
        migrations.AlterField(
            model_name='inspectionevent',
            name='kind',
            field=models.CharField(choices=[('planned', '制定计划'), ('started', '开始检查'), ('postponed', '停产延期'), ('submitted', '提交记录'), ('amended', '更正记录')], max_length=20, verbose_name='事项'),
        ),
        migrations.AlterField(
            model_name='inspectionevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='deadline',
            field=models.DateField(blank=True, null=True, verbose_name='企业申报的整改时限'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='measure',
            field=models.TextField(blank=True, verbose_name='企业申报的整改措施'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='responsible',
            field=models.CharField(blank=True, max_length=30, verbose_name='企业申报的责任人'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='self_check_answer',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problem_record', to='inspections.selfcheckanswer', verbose_name='自查项目'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='status',
            field=models.CharField(choices=[('open', '待处理'), ('handling', '处理中'), ('rectifying', '整改中'), ('verifying', '待销号核验'), ('closed', '已销号'), ('merged', '已并入主问题'), ('withdrawn', '已撤销')], default='open', max_length=20, verbose_name='状态'),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['county', 'planned_on', 'id'], name='inspection_county_plan_idx'),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['city', 'planned_on', 'id'], name='inspection_city_plan_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['campaign', 'county', 'status'], name='problem_county_status_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['campaign', 'city', 'status'], name='problem_city_status_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['county', 'found_at', 'id'], name='problem_county_found_idx'),
        ),
        migrations.AddIndex(
            model_name='problem',
            index=models.Index(fields=['city', 'found_at', 'id'], name='problem_city_found_idx'),
        ),
        migrations.AddIndex(
            model_name='selfcheck',
            index=models.Index(fields=['campaign', 'county', 'status'], name='selfcheck_county_status_idx'),
        ),
        migrations.AddIndex(
            model_name='selfcheck',
            index=models.Index(fields=['campaign', 'city', 'status'], name='selfcheck_city_status_idx'),
        ),
        migrations.AddField(
            model_name='problemevent',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='problemevent',
            name='problem',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='inspections.problem'),
        ),
        migrations.AddField(
            model_name='problemevent',
            name='ref_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='来源记录类型'),
        ),
        migrations.AddField(
            model_name='selfcheckevent',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='selfcheckevent',
            name='self_check',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='inspections.selfcheck'),
        ),
        migrations.AddIndex(
            model_name='problemevent',
            index=models.Index(fields=['problem', 'at'], name='problem_event_at_idx'),
        ),
    ]
