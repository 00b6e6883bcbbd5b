"""Diacritic-insensitive dossier search: the folded search_text column, filled for existing rows, and on PostgreSQL a
trigram index so that a "contains" search does not read the whole table."""

import logging

from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

INDEX = "dossier_search_trgm"


def fill(apps, schema_editor):
    from cchc.dossiers.models import fill_search_text

    fill_search_text(apps.get_model("dossiers", "Dossier"), using=schema_editor.connection.alias)


def create_trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(apps.get_model("dossiers", "Dossier")._meta.db_table)
    try:
        # A savepoint: without the right to create the extension the migration goes on without the index.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning(
            "pg_trgm is not available (%s): dossier search works, but reads the whole table. "
            "Have a superuser run CREATE EXTENSION pg_trgm, then migrate dossiers 0004 and 0005 again.",
            exc,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_slimmer_indexes")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="chuỗi tìm kiếm"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
