from django.urls import path

from . import desk_views, views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative-list"),
    # Before the initiative's own address: "new" is never an initiative's slug.
    path("initiatives/new/", views.initiative_create, name="initiative-create"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    path(
        "initiatives/<slug:slug>/meetings.ics",
        views.initiative_meetings_feed,
        name="initiative-meetings-feed",
    ),
    path("initiatives/<slug:slug>/follow/", views.initiative_follow, name="initiative-follow"),
    path("initiatives/<slug:slug>/edit/", views.initiative_edit, name="initiative-edit"),
    path("initiatives/<slug:slug>/join/", views.initiative_join, name="initiative-join"),
    path("initiatives/<slug:slug>/leave/", views.initiative_leave, name="initiative-leave"),
    path("initiatives/<slug:slug>/members/", views.initiative_members, name="initiative-members"),
    path(
        "initiatives/<slug:slug>/members/<int:pk>/<str:decision>/",
        views.membership_decide,
        name="membership-decide",
    ),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting-invite"),
    path("meetings/<int:pk>/invitees.csv", views.meeting_invitees_csv, name="meeting-invitees-csv"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="meeting-rsvp"),
    path("meetings/<int:pk>/remind/", desk_views.remind_invitees, name="meeting-remind"),
    path("desk/", desk_views.desk, name="desk"),
    path(
        "desk/initiatives/<slug:slug>/write/",
        desk_views.write_to_members,
        name="desk-write-to-members",
    ),
    path(
        "desk/meetings/<int:pk>/write/", desk_views.write_to_invitees, name="desk-write-to-invitees"
    ),
    path("desk/meetings/<int:pk>/waiting-list/", desk_views.waiting_list, name="desk-waiting-list"),
    path(
        "desk/meetings/<int:pk>/waiting-list/<int:invitation>/up/",
        desk_views.move_up,
        name="desk-move-up",
    ),
    path("desk/meetings/<int:pk>/offer-seat/", desk_views.offer_seat, name="desk-offer-seat"),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("follow/stop/<str:token>/", views.follow_stop, name="follow-stop"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("me/calendar/", views.calendar_feed_reset, name="calendar-feed-reset"),
]
