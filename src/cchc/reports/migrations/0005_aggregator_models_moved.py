
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_figures_recorded_for_an_aggregator'),
    ]

    # The aggregator's models moved to cchc.aggregation: removed from this app's state only; their tables stay.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='importedreport',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='importedreport',
            name='confirmed_by',
        ),
        migrations.RemoveField(
            model_name='importedreport',
            name='uploaded_by',
        ),
        migrations.RemoveField(
            model_name='submission',
            name='imported',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='imported',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='imported_by',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='recorded_for',
        ),
        migrations.RemoveField(
            model_name='reportingregime',
            name='aggregator',
        ),
        migrations.RemoveField(
            model_name='submission',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='submission',
            name='aggregator',
        ),
        migrations.RemoveField(
            model_name='submission',
            name='report',
        ),
        migrations.RemoveField(
            model_name='submission',
            name='submitted_by',
        ),
        migrations.DeleteModel(
            name='AggregationGroup',
        ),
        migrations.DeleteModel(
            name='ImportedReport',
        ),
        migrations.DeleteModel(
            name='ReportedFigure',
        ),
        migrations.DeleteModel(
            name='ReportingRegime',
        ),
        migrations.DeleteModel(
            name='Submission',
        ),
        ]),
    ]
