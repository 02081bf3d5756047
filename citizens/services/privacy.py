"""A person's own data: everything the portal holds about them, and erasing it."""

from django.contrib.auth import logout
from django.db import transaction
from django.utils import timezone

from citizens.models import DiplomatApplication, OutgoingEmail, User
from citizens.services.applications import Status, withdraw_application
from citizens.services.notifications import forget_person
from diplomacy_portal.exports import export_sections


def _application_data(user: User) -> dict | None:
    application = DiplomatApplication.objects.filter(user=user).first()
    if application is None:
        return None
    return {
        "status": application.status,
        "full_name_fa": application.full_name_fa,
        "full_name_latin": application.full_name_latin,
        "date_of_birth": application.date_of_birth,
        "phone": application.phone,
        "district": application.district,
        "occupation": application.occupation,
        "education": application.education,
        "fields_of_expertise": application.fields_of_expertise,
        "preferred_cities": list(application.preferred_cities.values_list("name_en", flat=True)),
        "languages": [
            {"language": skill.language, "level": skill.level}
            for skill in application.languages.all()
        ],
        "motivation": application.motivation,
        "hours_per_month": application.hours_per_month,
        "documents": {"cv": bool(application.cv), "photo": bool(application.photo)},
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        # What staff wrote to the applicant; their internal notes are the city's, not the user's.
        "history": [
            {
                "at": change.created_at,
                "from": change.from_status,
                "to": change.to_status,
                "note": change.note_to_applicant,
            }
            for change in application.history.all()
        ],
    }


def export_user_data(*, user: User) -> dict:
    """Everything the portal holds about `user`, ready to be written as JSON."""
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "citizen_diplomat_since": user.diplomat_since,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
            "roles": list(user.groups.values_list("name", flat=True)),
        },
        "application": _application_data(user),
        "notifications": [
            {"kind": n.kind, "details": n.context, "created_at": n.created_at, "read_at": n.read_at}
            for n in user.notifications.all()
        ],
    }
    data.update(export_sections(user))
    return data


def delete_account(*, request, user: User) -> None:
    """Erase the user's personal data and documents; decisions stay in the log, anonymous."""
    with transaction.atomic():
        application = DiplomatApplication.objects.select_for_update().filter(user=user).first()
        if application is not None:
            if application.status in (Status.DRAFT, Status.SUBMITTED, Status.NEEDS_CHANGES):
                application = withdraw_application(application=application, actor=user)
            documents = [f.name for f in (application.cv, application.photo) if f]
            _anonymise(application)
            storage = DiplomatApplication._meta.get_field("cv").storage
            for name in documents:
                transaction.on_commit(lambda name=name: storage.delete(name))
        forget_person(user=user)
        OutgoingEmail.objects.filter(to__iexact=user.email).delete()
        logout(request)
        user.delete()


def _anonymise(application: DiplomatApplication) -> None:
    application.languages.all().delete()
    application.preferred_cities.clear()
    DiplomatApplication.objects.filter(pk=application.pk).update(
        user=None,
        full_name_fa="",
        full_name_latin="",
        date_of_birth=None,
        phone="",
        district=None,
        occupation="",
        education="",
        motivation="",
        cv="",
        photo="",
        anonymised_at=timezone.now(),
    )
