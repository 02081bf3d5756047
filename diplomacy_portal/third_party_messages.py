"""Django's strings that the portal shows and Django 5.2's Persian catalogues lack or are not
loaded for.

Nothing imports this module: it is here for makemessages, which copies these strings into
locale/fa/LC_MESSAGES/django.po. The portal's catalogue is read before Django's own
(LOCALE_PATHS), so Django finds their translations there. Check again after upgrading Django.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # The admin.
    gettext_noop("Breadcrumbs"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Model name"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    # Users and passwords in the admin.
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    # Forms everyone fills in: passwords, the application's languages.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    gettext_noop("Central Kurdish (Sorani)"),
    gettext_noop("Uyghur"),
]
