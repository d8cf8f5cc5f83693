from django.db import migrations


def load(apps, schema_editor):
    from cases.catalogue import load_violation_types

    load_violation_types(apps.get_model("cases", "ViolationType"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
