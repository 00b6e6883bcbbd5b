"""The parameters shipped with cchc (data/qd766.json): loaded once; an edited set is never overwritten."""

from django.db import migrations


def load(apps, schema_editor):
    from cchc.serviceindex.parameters import load_file

    load_file(models=apps)


class Migration(migrations.Migration):
    dependencies = [("serviceindex", "0001_parameters_and_imported_figures")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
