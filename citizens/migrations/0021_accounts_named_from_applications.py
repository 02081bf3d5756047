from django.db import migrations
from django.db.models import Q


def name_accounts(apps, schema_editor):
    """Accounts whose application was submitted before the name was copied on submission get
    that name now, unless the person set one on their profile (citizens.services.applications
    .name_account)."""
    Application = apps.get_model("citizens", "DiplomatApplication")
    User = apps.get_model("citizens", "User")
    applications = (
        Application.objects.filter(
            submitted_at__isnull=False, user__first_name="", user__last_name=""
        )
        .exclude(Q(full_name_latin="") & Q(full_name_fa=""))
        .values_list("user_id", "full_name_latin", "full_name_fa")
    )
    for user_id, latin, persian in applications.iterator(chunk_size=2000):
        User.objects.filter(pk=user_id).update(first_name=latin or persian)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0020_notice_choices_and_digests")]

    operations = [migrations.RunPython(name_accounts, migrations.RunPython.noop)]
