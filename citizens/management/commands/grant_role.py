from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from citizens.models import User
from citizens.roles import CITY_OFFICIALS, ROLES


class Command(BaseCommand):
    help = "Give a role (a group) to the user with this e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=sorted(ROLES))

    def handle(self, email, role, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email}.")
        user.groups.add(Group.objects.get(name=role))
        if role != CITY_OFFICIALS and not user.is_staff:
            # Staff and coordinators work in the admin, which needs is_staff.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(f"{user.email} now has the role {role}.")
