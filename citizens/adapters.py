from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from .services.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """Render in the request (its host) and in the reader's language, send from a worker."""
        request = context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "portal_url": f"{settings.SITE_URL}/",
        }
        ctx.update(context_)
        user = ctx.get("user")
        # A person with an account reads in their own language (a password reset asked from a
        # page in the other one); an address without an account, in the page's.
        language = getattr(user, "language", None) or get_language()
        with translation.override(language):
            queue_email(message=self.render_mail(template_prefix, email, ctx))

    def render_mail(self, template_prefix, email, ctx, headers=None):
        """allauth's e-mail, its text also in the portal's HTML layout."""
        message = super().render_mail(template_prefix, email, ctx, headers=headers)
        if not getattr(message, "alternatives", None):
            html = render_to_string(
                "account/email/message.html",
                {"subject": message.subject, "message": message.body, "language": get_language()},
            )
            message.attach_alternative(html, "text/html")
        return message

    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language it signed up in, for its pages and e-mails.
        user.preferred_language = (get_language() or "")[:2]
        return super().save_user(request, user, form, commit=commit)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS), doing the same work whether or not the address
    has an account."""

    def try_save(self, request):
        if self.account_already_exists:
            # A new account's password is hashed, which takes most of the answer's time; hashing
            # this one too (and keeping nothing) keeps that time from telling who is registered.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
