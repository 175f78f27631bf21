# The index the figures of an area and a period read (issue 7, performance): on
# PostgreSQL the path takes varchar_pattern_ops so that `LIKE 'path%'` uses it; SQLite
# ignores opclasses and builds a plain index on the same columns.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accidents', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='accident',
            name='accidents_a_jurisdi_bd6d7c_idx',
        ),
        migrations.AddIndex(
            model_name='accident',
            index=models.Index(fields=['jurisdiction_path', 'occurred_at'], name='accident_path_at_like', opclasses=['varchar_pattern_ops', 'timestamptz_ops']),
        ),
    ]
