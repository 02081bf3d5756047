from django.contrib.auth.management import create_permissions
from django.db import migrations

# Coordinators run their own initiatives in the admin (the admin shows them only theirs);
# municipal staff see and edit every initiative. Meetings and invitations change only through
# the portal's pages, whose services send the calendar updates, so the admin only shows them.
READ_MEETINGS = [
    ("initiatives", "view_meeting"),
    ("initiatives", "view_membership"),
    ("initiatives", "view_invitation"),
]
GRANTS = {
    "Initiative coordinators": [
        ("initiatives", "view_initiative"),
        ("initiatives", "add_initiative"),
        ("initiatives", "change_initiative"),
        *READ_MEETINGS,
    ],
    "Municipal staff": [
        ("initiatives", "view_initiative"),
        ("initiatives", "change_initiative"),
        *READ_MEETINGS,
    ],
}


def grant(apps, schema_editor):
    config = apps.get_app_config("initiatives")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in GRANTS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="initiatives",
                    codename__in=[codename for _label, codename in permissions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("citizens", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
