from celery import shared_task

from . import services


@shared_task
def record_fading_cities() -> tuple[int, int]:
    """Daily: mark the cities fading for want of activity (telling staff and coordinators
    once) and clear those active again."""
    return services.record_fading_cities()


@shared_task
def tell_about_agreements() -> tuple[int, int]:
    """Tell the staff once of each agreement entering its renewal window, once of each that
    expired."""
    return services.tell_about_agreements()
