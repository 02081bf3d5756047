"""Once removed what django.contrib.sessions had left in a database (its table, content type and
migration record), while the portal kept its sessions in citizens_session. Since 0013 that app
holds the sessions again, so this does nothing: run in a new database, it could drop the table
that app's own migration had just made, and in a database made before it, the one in use."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0011_active_diplomats_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
