# The indexes the figures of an area and a period read (issue 7, performance): on
# PostgreSQL the path takes varchar_pattern_ops so that `LIKE 'path%'` uses them; SQLite
# ignores opclasses and builds plain indexes on the same columns.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0002_hazards_assistance'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='hazard',
            name='inspection__jurisdi_6c3ecb_idx',
        ),
        migrations.RemoveIndex(
            model_name='inspection',
            name='inspection__jurisdi_8840df_idx',
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(fields=['jurisdiction_path', 'found_on', 'level'], name='hazard_path_found_like', opclasses=['varchar_pattern_ops', 'date_ops', 'varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['jurisdiction_path', 'date', 'status'], name='inspection_path_date_like', opclasses=['varchar_pattern_ops', 'date_ops', 'varchar_pattern_ops']),
        ),
    ]
