from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    config = apps.get_app_config("sistercities")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    staff = apps.get_model("auth", "Group").objects.get(name="Municipal staff")
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="sistercities",
            codename__in=["view_contactlog", "add_contactlog", "change_contactlog"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sistercities", "0002_contactlog"),
        ("citizens", "0004_history_append_only_and_staff_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
