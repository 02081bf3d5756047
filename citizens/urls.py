from django.urls import path

from . import views

app_name = "citizens"

urlpatterns = [
    path("apply/", views.application_form, name="application-form"),
    path("me/profile/", views.profile, name="profile"),
    path("me/withdraw/", views.withdraw, name="application-withdraw"),
    path("me/export/", views.data_export, name="data-export"),
    path("me/delete/", views.account_delete, name="account-delete"),
    path("me/notices/", views.notice_preferences, name="notices"),
    path("notices/stop/<str:token>/", views.notices_unsubscribe, name="notices-unsubscribe"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox-read"),
    path(
        "applications/<uuid:public_id>/documents/<str:document>/",
        views.application_document,
        name="application-document",
    ),
]
