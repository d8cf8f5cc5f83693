"""The plans' index on (campaign, city, county): a city's plans, and the order of 一企一案 and the
整改台账 (city, county, unit), served by walking it instead of sorting every plan or item."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0001_initial"),
    ]

    operations = [
        # (campaign, city) is this index's beginning
        migrations.RemoveIndex(model_name="rectificationplan", name="plan_city_idx"),
        migrations.AddIndex(
            model_name="rectificationplan",
            index=models.Index(fields=["campaign", "city", "county"], name="plan_city_county_idx"),
        ),
    ]
