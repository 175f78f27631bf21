# The annual report's template per year and jurisdiction (reports app, issue 7).

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0003_seed_calendar'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnnualReportTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='报告年度')),
                ('title', models.CharField(max_length=200, verbose_name='报告标题')),
                ('body', models.TextField(verbose_name='模板正文')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_report_templates', to='core.jurisdiction', verbose_name='行政区划')),
                ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人')),
            ],
            options={
                'verbose_name': '年度报告模板',
                'verbose_name_plural': '年度报告模板',
                'ordering': ['-year'],
                'constraints': [models.UniqueConstraint(fields=('year', 'jurisdiction'), name='reports_template_one_per_year_and_area')],
            },
        ),
    ]
