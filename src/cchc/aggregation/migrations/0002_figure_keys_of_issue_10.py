"""Stored figures take the names of the one figure vocabulary (cchc.extraction.vocabulary).

"dossiers_on_time" meant early or on time until now and means on time alone from now on, so the figures stored under
it become "dossiers_early_or_on_time"; the other renamed keys are plain aliases. Figures waiting for review (the
extracted JSON of pending imports) are renamed the same way so the review page shows them under today's names.
"""

from django.db import migrations

RENAMED = {
    "dossiers_on_time": "dossiers_early_or_on_time",
    "procedures_interlinked": "procedures_interconnected",
    "dossiers_on_time_rate": "on_time_rate_pct",
    "sipas_score": "sipas_pct",
}


def _rename(mapping):
    def run(apps, schema_editor):
        ReportedFigure = apps.get_model("aggregation", "ReportedFigure")
        ImportedReport = apps.get_model("aggregation", "ImportedReport")
        for old, new in mapping.items():
            ReportedFigure.objects.filter(key=old).update(key=new)
        for imported in ImportedReport.objects.filter(status="pending_review").iterator():
            changed = False
            for part in ("figures", "figure_sources"):
                values = imported.extracted.get(part) or {}
                for old, new in mapping.items():
                    if old in values and new not in values:
                        values[new] = values.pop(old)
                        changed = True
            if changed:
                imported.save(update_fields=["extracted"])

    return run


class Migration(migrations.Migration):
    dependencies = [("aggregation", "0001_initial")]

    operations = [
        migrations.RunPython(_rename(RENAMED), _rename({new: old for old, new in RENAMED.items()})),
    ]
