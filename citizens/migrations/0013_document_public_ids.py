import uuid

from django.db import migrations, models


def give_each_application_its_own_id(apps, schema_editor):
    DiplomatApplication = apps.get_model("citizens", "DiplomatApplication")
    for application in DiplomatApplication.objects.only("pk").iterator():
        application.public_id = uuid.uuid4()
        application.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    """Documents are addressed by a random id, not the application's primary key. A field
    added with a default gets one value for every existing row: each gets its own first."""

    dependencies = [
        ("citizens", "0012_remove_django_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="diplomatapplication",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_application_its_own_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="diplomatapplication",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                unique=True,
                verbose_name="documents' address",
            ),
        ),
    ]
