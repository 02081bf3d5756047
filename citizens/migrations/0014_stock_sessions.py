"""Sessions are Django's own again (django.contrib.sessions, the cached_db engine), and every
request reads the signed-in person from the database: nothing is kept in a web process between
requests, so the notifications of 0010 that told each process what changed are no longer
needed, nor the sessions' table of 0009."""

from importlib import import_module

from django.db import migrations

# 0010's triggers: (table, their names), then its function.
TRIGGERS = [
    *(
        (table, f"citizens_readers_{event}")
        for table in (
            "citizens_session",
            "citizens_user",
            "citizens_user_groups",
            "citizens_user_user_permissions",
            "mfa_authenticator",
            "citizens_notification",
        )
        for event in ("insert", "update", "delete", "truncate")
    ),
    *(
        (table, "citizens_readers_all")
        for table in (
            "auth_group",
            "auth_group_permissions",
            "auth_permission",
            "django_content_type",
        )
    ),
]
DROP = "\n".join(
    [
        *(f"DROP TRIGGER {name} ON {table};" for table, name in TRIGGERS),
        "DROP FUNCTION citizens_readers_changed();",
    ]
)

# Going back to 0012 makes them again, as 0010 did.
notifications = import_module("citizens.migrations.0010_session_reader_notifications")


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0013_document_public_ids"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunSQL(DROP, notifications.FUNCTION + notifications._triggers()),
        migrations.DeleteModel(name="Session"),
    ]
