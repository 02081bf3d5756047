import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from diplomacy_portal.forms import error_summary

from . import selectors
from .forms import (
    ApplicationForm,
    DeleteAccountForm,
    LanguageFormSet,
    NoticePreferencesForm,
    ProfileForm,
)
from .models import Delivery, DiplomatApplication, NoticeTopic
from .roles import is_privileged
from .services import applications, notices, notifications, privacy
from .services.applications import ApplicationError

DOCUMENTS = ("cv", "photo")


def _own_application(user) -> DiplomatApplication:
    """The user's application, or a new unsaved draft (saved with the first form sent)."""
    return DiplomatApplication.objects.filter(user=user).first() or DiplomatApplication(user=user)


@login_required
def application_form(request):
    application = _own_application(request.user)
    if not application.is_editable:
        messages.info(
            request,
            _("Your application is %(status)s.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect("me")
    # What is stored now; validating the form below puts the new uploads on the instance.
    on_file = [name for name in DOCUMENTS if application.pk and getattr(application, name)]
    submitting = "submit" in request.POST
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ApplicationForm(*data, instance=application, complete=submitting)
    languages = LanguageFormSet(*data, instance=application, complete=submitting)
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        try:
            with transaction.atomic():
                saved = applications.save_application(
                    user=request.user, form=form, languages=languages
                )
                if submitting:
                    applications.submit_application(application=saved, actor=request.user)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("me")
        messages.success(
            request,
            _("Your application was submitted. We will let you know of the decision.")
            if submitting
            else _("Your draft was saved. You can finish it later."),
        )
        return redirect("me")
    return render(
        request,
        "citizens/application_form.html",
        {
            "form": form,
            "languages": languages,
            "application": application,
            "on_file": on_file,
            "error_summary": error_summary(form, languages),
        },
    )


@login_required
def profile(request):
    return profile_page(request, title=_("My profile and application"))


def profile_page(request, *, title: str):
    """The profile form, the application with its history and the person's data; /me/ too for
    whoever is not a citizen diplomat yet (initiatives.views.my_page)."""
    profile = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and profile.is_valid():
        user = profile.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect(request.path)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    mine = selectors.my_application(request.user)
    context = {
        "title": title,
        "application": mine.application,
        "history": mine.history,
        "profile": profile,
    }
    return render(request, "citizens/profile.html", context)


@require_POST
@login_required
def withdraw(request):
    application = get_object_or_404(DiplomatApplication, user=request.user)
    try:
        applications.withdraw_application(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("me")


@never_cache
@login_required
def data_export(request):
    data = privacy.export_user_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-citizen-diplomat-data.json"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.delete_account(request=request, user=request.user)
        messages.success(request, _("Your account and your personal data were deleted."))
        return redirect("home")
    return render(request, "citizens/account_delete.html", {"form": form})


@login_required
def inbox(request):
    page = selectors.inbox_page(request.user, request.GET.get("page"))
    notifications.show_in_inbox(page.object_list)
    return render(request, "citizens/inbox.html", {"page": page})


@require_POST
@login_required
def inbox_read(request):
    # ASCII digits only: "²" is a digit to isdigit(), not to int().
    ids = [int(i) for i in request.POST.getlist("notification") if i.isascii() and i.isdigit()]
    notifications.mark_read(user=request.user, notification_ids=ids or None)
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return redirect("citizens:inbox")


@never_cache
@login_required
def application_document(request, public_id: uuid.UUID, document: str):
    """A document of an application, for its applicant and for staff who review."""
    application = get_object_or_404(DiplomatApplication, public_id=public_id)
    allowed = application.user_id == request.user.pk or request.user.has_perm(
        "citizens.view_diplomatapplication"
    )
    stored = getattr(application, document) if document in DOCUMENTS else None
    if not allowed or not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"{document}{Path(stored.name).suffix}"
    )
    # Downloaded, never rendered as the portal's page; a sandbox if a browser renders it anyway.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notice_preferences(request):
    """How each topic of notices reaches the reader: e-mail at once, the digest, the inbox."""
    topics = [
        topic
        for topic in NoticeTopic
        if topic not in notices.STAFF_TOPICS or is_privileged(request.user)
    ]
    form = NoticePreferencesForm(request.POST or None, user=request.user, topics=topics)
    if request.method == "POST" and form.is_valid():
        notices.choose(
            user=request.user,
            choices=form.choices(),
            digest_hour=form.cleaned_data["digest_hour"],
            reminder_leads=form.cleaned_data["reminder_leads"],
        )
        messages.success(request, _("Your choices were saved."))
        return redirect("citizens:notices")
    return render(request, "citizens/notice_preferences.html", {"form": form})


# A mail program's one-click unsubscribe (RFC 8058) POSTs without the reader's cookies: the
# signed link is the permission, so there is no CSRF token to check.
@csrf_exempt
def notices_unsubscribe(request, token):
    """Stop e-mails of one topic from a link in such an e-mail: a page with a button (GET),
    or at once (POST, the button or a mail program's one-click)."""
    try:
        user, topic = notices.read_unsubscribe_token(token)
    except notices.BadUnsubscribeLink:
        return render(request, "citizens/unsubscribe_invalid.html", status=400)
    topic_label = NoticeTopic(topic).label
    if request.method == "POST":
        notices.choose(user=user, choices={topic: Delivery.INBOX})
        return render(
            request, "citizens/unsubscribe_done.html", {"topic": topic_label, "person": user}
        )
    return render(request, "citizens/unsubscribe.html", {"topic": topic_label, "person": user})
