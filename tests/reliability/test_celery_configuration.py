"""Celery as configured loses no task whose worker dies, and never loops on a poisoned one."""

from django.conf import settings

from citizens.tasks import send_emails
from diplomacy_portal.celery import app
from diplomacy_portal.mail import retry_delay


def test_a_task_is_acknowledged_only_once_done_and_given_back_if_its_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_redis_hands_a_task_to_another_worker_only_after_the_longest_task_could_run():
    visibility = app.conf.broker_transport_options["visibility_timeout"]

    assert visibility > app.conf.task_time_limit > app.conf.task_soft_time_limit


def test_no_retry_waits_beyond_the_visibility_timeout():
    # A task waiting for its ETA beyond the timeout would be handed to a second worker.
    visibility = app.conf.broker_transport_options["visibility_timeout"]

    assert max(retry_delay(attempt) for attempt in range(1, 50)) < visibility


def test_tries_are_bounded_and_counted_in_the_database_not_by_celery():
    # Celery's own count is lost with a redelivery; the row's is not (OutgoingEmail.attempts,
    # for every e-mail, invitations too), and it stops at MAIL_MAX_ATTEMPTS.
    assert send_emails.max_retries is None
    assert 1 < settings.MAIL_MAX_ATTEMPTS <= 10


def test_a_request_never_waits_long_on_a_broker_that_is_down_or_does_not_answer():
    # One try: connecting, then waiting for Redis's answer; the work is left to the sweep.
    options = app.conf.broker_transport_options

    assert app.conf.task_publish_retry_policy["max_retries"] == 0
    assert options["socket_connect_timeout"] + options["socket_timeout"] <= 2
