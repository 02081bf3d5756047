"""The Celery app: configured from Django's CELERY_* settings; finds each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy_portal.settings")

app = Celery("diplomacy_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
