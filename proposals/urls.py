from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/mine/", views.proposal_mine, name="proposal-mine"),
    path("proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal-submit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="proposal-support"),
    path(
        "proposals/<int:pk>/support/withdraw/",
        views.proposal_unsupport,
        name="proposal-unsupport",
    ),
    path(
        "proposals/<uuid:public_id>/attachment/",
        views.proposal_attachment,
        name="proposal-attachment",
    ),
]
