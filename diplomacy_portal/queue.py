"""Enqueue background work once the database transaction that asked for it commits."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, countdown: int | None = None) -> None:
    """Queue `task(*args)` after commit (to run `countdown` seconds later, if given); a
    rolled-back transaction queues nothing.

    A broker that is down, or does not answer within REDIS_PUBLISH_TIMEOUT (one try, see the
    settings), is logged, not raised: the row that asked for the work is the source of truth and
    the periodic sweep queues it again.
    """

    options = {"countdown": countdown} if countdown else {}

    def send() -> None:
        try:
            task.apply_async(args=args, **options)
        except OperationalError:
            logger.warning("Broker unavailable; %s%r left for the sweep", task.name, args)

    transaction.on_commit(send)
