from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SisterCitiesConfig(AppConfig):
    name = "sistercities"
    verbose_name = _("Sister cities")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Agreement, ContactLog, SisterCity
        from .selectors import cities_changed

        def changed(**kwargs):
            cities_changed()

        # A city's public page lists its latest contacts and its public agreements.
        for model in (SisterCity, ContactLog, Agreement):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{model}-{signal}")
