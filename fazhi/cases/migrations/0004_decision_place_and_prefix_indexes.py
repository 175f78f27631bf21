# The place of each party decision (copied from its case) and the indexes the figures of
# an area and a period read (issue 7, performance). On PostgreSQL the path columns take
# varchar_pattern_ops so that `LIKE 'path%'` uses them; SQLite ignores opclasses.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_case_paths(apps, schema_editor):
    PartyDecision = apps.get_model("cases", "PartyDecision")
    CaseParty = apps.get_model("cases", "CaseParty")
    PartyDecision.objects.update(jurisdiction_path=Subquery(
        CaseParty.objects.filter(pk=OuterRef("party_id")).values("case__jurisdiction_path")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_procedure"),
    ]

    operations = [
        migrations.AddField(
            model_name="partydecision",
            name="jurisdiction_path",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(copy_case_paths, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="partydecision",
            index=models.Index(fields=["jurisdiction_path", "decided_on"],
                               name="decision_path_day_like",
                               opclasses=["varchar_pattern_ops", "date_ops"]),
        ),
        migrations.AddIndex(
            model_name="penaltycase",
            index=models.Index(fields=["jurisdiction_path", "filed_on"],
                               name="case_path_filed_like",
                               opclasses=["varchar_pattern_ops", "date_ops"]),
        ),
    ]
