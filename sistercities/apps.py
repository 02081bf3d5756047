from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SisterCitiesConfig(AppConfig):
    name = "sistercities"
    verbose_name = _("Sister cities")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import SisterCity
        from .selectors import cities_changed

        def changed(**kwargs):
            cities_changed()

        post_save.connect(changed, sender=SisterCity, weak=False, dispatch_uid="cities-changed")
        post_delete.connect(changed, sender=SisterCity, weak=False, dispatch_uid="cities-deleted")
