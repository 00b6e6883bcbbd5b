
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0003_agency_due_soon_days'),
        ('reports', '0005_aggregator_models_moved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The aggregator's models, moved from cchc.reports: created in Django's state only, on the tables they had.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='ImportedReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('sha256', models.CharField(max_length=64, verbose_name='mã băm SHA-256')),
                ('extracted', models.JSONField(default=dict, verbose_name='dữ liệu trích xuất')),
                ('period_key', models.CharField(blank=True, max_length=32, verbose_name='kỳ báo cáo')),
                ('status', models.CharField(choices=[('pending_review', 'Chờ rà soát'), ('confirmed', 'Đã xác nhận'), ('discarded', 'Đã bỏ')], default='pending_review', max_length=16, verbose_name='trạng thái')),
                ('result', models.JSONField(blank=True, default=dict, verbose_name='kết quả nhập')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tải lên')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm xác nhận')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imported_reports', to='agencies.agency', verbose_name='cơ quan')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xác nhận')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tải lên')),
            ],
            options={
                'verbose_name': 'báo cáo nhập từ tệp',
                'verbose_name_plural': 'báo cáo nhập từ tệp',
                'db_table': 'reports_importedreport',
                'ordering': ['-uploaded_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ReportedFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_key', models.CharField(max_length=32, verbose_name='kỳ báo cáo')),
                ('period_start', models.DateField(verbose_name='từ ngày')),
                ('period_end', models.DateField(verbose_name='đến ngày')),
                ('key', models.CharField(max_length=64, verbose_name='chỉ tiêu')),
                ('value', models.DecimalField(decimal_places=4, max_digits=20, verbose_name='giá trị')),
                ('source_sentence', models.TextField(blank=True, verbose_name='câu nguồn')),
                ('source_name', models.CharField(blank=True, max_length=255, verbose_name='tệp nguồn')),
                ('source_sha256', models.CharField(max_length=64, verbose_name='mã băm tệp nguồn')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm nhập')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reported_figures', to='agencies.agency', verbose_name='cơ quan')),
                ('imported', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='figures', to='aggregation.importedreport', verbose_name='báo cáo đã nhập')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
                ('recorded_for', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='recorded_figures', to='agencies.agency', verbose_name='cơ quan tổng hợp lưu số liệu')),
            ],
            options={
                'verbose_name': 'số liệu báo cáo',
                'verbose_name_plural': 'số liệu báo cáo',
                'db_table': 'reports_reportedfigure',
                'ordering': ['agency', '-period_end', 'key'],
            },
        ),
        migrations.CreateModel(
            name='ReportingRegime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='tên chế độ báo cáo')),
                ('period_kind', models.CharField(help_text='month, quarter, half, nine_months hoặc year.', max_length=16, verbose_name='loại kỳ')),
                ('rule', models.CharField(choices=[('working_days', 'Số ngày làm việc sau ngày chốt số liệu'), ('day_of_month', 'Ngày cố định của tháng sau ngày chốt số liệu')], default='working_days', max_length=16, verbose_name='cách tính hạn')),
                ('days', models.PositiveSmallIntegerField(default=3, help_text='Số ngày làm việc sau ngày chốt, hoặc ngày của tháng sau ngày chốt.', verbose_name='số ngày')),
                ('basis', models.CharField(blank=True, help_text='Văn bản quy định hạn gửi.', max_length=255, verbose_name='căn cứ')),
                ('aggregator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reporting_regimes', to='agencies.agency', verbose_name='cơ quan tổng hợp')),
            ],
            options={
                'verbose_name': 'chế độ báo cáo',
                'verbose_name_plural': 'chế độ báo cáo',
                'db_table': 'reports_reportingregime',
                'ordering': ['aggregator', 'period_kind'],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('cchc', 'Báo cáo lập trên cchc'), ('imported', 'Báo cáo nhập từ tệp')], max_length=16, verbose_name='nguồn')),
                ('period_key', models.CharField(max_length=32, verbose_name='kỳ báo cáo')),
                ('period_start', models.DateField(verbose_name='từ ngày')),
                ('period_end', models.DateField(verbose_name='đến ngày')),
                ('submitted_at', models.DateTimeField(verbose_name='thời điểm gửi')),
                ('deadline', models.DateField(blank=True, null=True, verbose_name='hạn gửi')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='agencies.agency', verbose_name='cơ quan gửi')),
                ('aggregator', models.ForeignKey(blank=True, help_text='Để trống: báo cáo nhập vào hệ thống, không gửi riêng ai.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='received_submissions', to='agencies.agency', verbose_name='cơ quan tổng hợp')),
                ('imported', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='submissions', to='aggregation.importedreport', verbose_name='báo cáo đã nhập')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='submissions', to='reports.report', verbose_name='báo cáo')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người gửi')),
            ],
            options={
                'verbose_name': 'báo cáo đã gửi',
                'verbose_name_plural': 'báo cáo đã gửi',
                'db_table': 'reports_submission',
                'ordering': ['-period_end', 'agency_id'],
            },
        ),
        migrations.CreateModel(
            name='AggregationGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='tên nhóm')),
                ('aggregator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aggregation_groups', to='agencies.agency', verbose_name='cơ quan tổng hợp')),
                ('members', models.ManyToManyField(related_name='aggregated_by', to='agencies.agency', verbose_name='cơ quan báo cáo')),
            ],
            options={
                'verbose_name': 'nhóm cơ quan báo cáo',
                'verbose_name_plural': 'nhóm cơ quan báo cáo',
                'db_table': 'reports_aggregationgroup',
                'ordering': ['aggregator', 'name'],
                'constraints': [models.UniqueConstraint(fields=('aggregator', 'name'), name='aggregation_group_name_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='importedreport',
            constraint=models.UniqueConstraint(fields=('agency', 'sha256'), name='imported_report_unique_file'),
        ),
        migrations.AddIndex(
            model_name='reportedfigure',
            index=models.Index(fields=['period_key', 'agency'], name='reported_figure_period_idx'),
        ),
        migrations.AddConstraint(
            model_name='reportedfigure',
            constraint=models.UniqueConstraint(fields=('agency', 'period_key', 'key', 'source_sha256'), name='reported_figure_unique'),
        ),
        migrations.AddConstraint(
            model_name='reportingregime',
            constraint=models.UniqueConstraint(fields=('aggregator', 'period_kind'), name='regime_unique_kind'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(condition=models.Q(('aggregator__isnull', False)), fields=('agency', 'aggregator', 'period_key'), name='submission_unique_per_aggregator'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(condition=models.Q(('aggregator__isnull', True)), fields=('agency', 'period_key'), name='submission_unique_imported'),
        ),
        ]),
    ]
