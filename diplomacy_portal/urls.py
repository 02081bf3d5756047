from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from initiatives.views import my_page

from . import views

admin.site.site_header = _("Citizen Diplomat Portal administration")
admin.site.site_title = _("Citizen Diplomat Portal")
# Staff sign in like everyone else, with allauth's verification, rate limits and 2FA.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "diplomacy_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("sistercities.urls")),
    # A person's own page joins their application (citizens) and what they take part in
    # (initiatives), so it is named here, like home, for every app to link to.
    path("me/", my_page, name="me"),
    path("", include("citizens.urls")),
    path("", include("initiatives.urls")),
    path("", include("proposals.urls")),
    path("", include("opendata.urls")),
    path("admin/", admin.site.urls),
]
