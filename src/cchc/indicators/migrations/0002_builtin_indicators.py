"""The five indices reports quote (reports.md §4), so values can be entered at once."""

from django.db import migrations

INDICATORS = [
    ("PAR_INDEX", "Chỉ số cải cách hành chính", "Chỉ số cải cách hành chính (PAR Index)"),
    ("PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh", "Chỉ số PAPI"),
    ("PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh", "Chỉ số PCI"),
    ("SIPAS", "Chỉ số hài lòng về sự phục vụ hành chính", "Chỉ số SIPAS"),
    ("PII", "Chỉ số đổi mới sáng tạo cấp địa phương", "Chỉ số PII"),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, short_name in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "short_name": short_name})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
