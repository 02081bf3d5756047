"""django.contrib.sessions is no longer installed: sessions live in citizens_session (with whose
session each is). This removes what that app left in a database made before: its empty table, its
content type with the permissions on it (which the admin would list, untranslated), and the record
of its migrations, so that installing it again would create its table again."""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder


def remove_django_sessions(apps, schema_editor):
    connection = schema_editor.connection
    schema_editor.execute("DROP TABLE IF EXISTS django_session")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(connection.alias).filter(app_label="sessions").delete()
    MigrationRecorder(connection).migration_qs.filter(app="sessions").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0011_active_diplomats_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remove_django_sessions, migrations.RunPython.noop)]
