from celery import shared_task

from . import services


@shared_task
def record_fading_cities() -> tuple[int, int]:
    """Daily: mark the cities fading for want of activity (telling staff and coordinators
    once) and clear those active again."""
    return services.record_fading_cities()
