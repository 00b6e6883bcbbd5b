"""The planners' statistics of the dossier table after the indexes of 0008-0011.

An upgraded database keeps the statistics of its old indexes and has none for the new ones: SQLite then took the
new (agency, due_at) index for the plain list and sorted all of an agency's dossiers (280 ms at 200k instead of
under 1 ms). Sampled as after an import (cchc.importing.refresh_statistics), so it is quick at any size."""

from django.db import migrations

SQLITE_ANALYSIS_LIMIT = 1000


def refresh(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name(apps.get_model("dossiers", "Dossier")._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0011_dossier_sort_indexes")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
