"""Remove the "AnonymousUser" row django-guardian created while its setting was misnamed: it is
nobody, and it showed up among the people and users."""

from django.db import migrations
from django.db.models.deletion import ProtectedError


def remove(apps, schema_editor):
    User = apps.get_model("campaign", "User")
    for user in User.objects.filter(username="AnonymousUser", role=""):
        try:
            user.delete()
        except ProtectedError:  # referenced by a record after all: keep it, never lose history
            User.objects.filter(pk=user.pk).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("campaign", "0006_role_permissions")]

    operations = [migrations.RunPython(remove, migrations.RunPython.noop)]
