from celery import shared_task


@shared_task
def ping() -> None:
    """Do nothing: the cost of a task's trip through the broker and a worker, and no more
    (the benchmark's ceiling for background work)."""
