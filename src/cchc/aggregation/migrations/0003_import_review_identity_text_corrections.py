"""The review of an imported report: the document's text (source sentences marked on the page), the officer's
corrections of the figures, how the agency was set, the report's identity (number, symbol, date, title) by which the
same report in another file is recognised, and the "replaced" state. Uploads already there get their identity from
the metadata they were read with; their text was not kept, so their page shows the source sentences alone."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _identity(apps, schema_editor):
    from cchc.aggregation.importing.duplicates import identity

    ImportedReport = apps.get_model("aggregation", "ImportedReport")
    for imported in ImportedReport.objects.iterator():
        found = identity((imported.extracted or {}).get("metadata") or {})
        for name, value in found.items():
            setattr(imported, name, value)
        imported.save(update_fields=list(found))


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0003_agency_due_soon_days'),
        ('aggregation', '0002_figure_keys_of_issue_10'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='importedreport',
            name='agency_source',
            field=models.CharField(choices=[('read', 'Nhận diện từ báo cáo'), ('chosen', 'Người tải lên chọn'), ('unknown', 'Chưa xác định')], default='chosen', max_length=8, verbose_name='cách xác định cơ quan'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='corrections',
            field=models.JSONField(blank=True, default=dict, verbose_name='sửa đổi khi rà soát'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='doc_date',
            field=models.DateField(blank=True, null=True, verbose_name='ngày văn bản'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='doc_number',
            field=models.CharField(blank=True, max_length=32, verbose_name='số văn bản'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='doc_symbol',
            field=models.CharField(blank=True, max_length=64, verbose_name='ký hiệu văn bản'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='replaced_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='replaces', to='aggregation.importedreport', verbose_name='được thay bằng'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='text',
            field=models.TextField(blank=True, verbose_name='nội dung văn bản'),
        ),
        migrations.AddField(
            model_name='importedreport',
            name='title_key',
            field=models.CharField(blank=True, max_length=255, verbose_name='trích yếu (rút gọn)'),
        ),
        migrations.AlterField(
            model_name='importedreport',
            name='status',
            field=models.CharField(choices=[('pending_review', 'Chờ rà soát'), ('confirmed', 'Đã xác nhận'), ('discarded', 'Đã bỏ'), ('replaced', 'Đã được thay thế')], default='pending_review', max_length=16, verbose_name='trạng thái'),
        ),
        migrations.AddIndex(
            model_name='importedreport',
            index=models.Index(fields=['agency', 'doc_symbol', 'doc_number'], name='imported_report_identity'),
        ),
        migrations.RunPython(_identity, migrations.RunPython.noop),
    ]
