"""The API tested from its own OpenAPI schema by schemathesis: every operation, generated
inputs (filters, slugs, cursors, ids), no 5xx and every answer as the schema describes it."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from diplomacy_portal.wsgi import application

# The schema as the portal serves it (making it reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)

# Like the pages, the API reads an empty filter as no filter and ignores parameters it does not
# know (a client written for a later version keeps working): requests schemathesis calls
# "schema-violating" are answered, by design. And a well-formed slug of no city or initiative is
# refused with 400 naming the parameter, rather than answered with an empty list.
LENIENT = [
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
]
# Enough to try each parameter's kinds of values within the suite's time budget.
SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}


@pytest.fixture
def unlimited(settings):
    """No limit on requests, and the test's database connection kept open: the WSGI handler
    closes it around each request (as Django's test client stops it doing)."""
    settings.API_ANONYMOUS_RATE = settings.API_TOKEN_RATE = "100000/min"
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, **SETTINGS)
def test_every_operation_answers_as_its_schema_says(case, unlimited, programme, official_key):
    # With an official's token every operation can answer 200, the dashboards' figures too.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {official_key}"}, excluded_checks=LENIENT
    )


@schema.parametrize()
@settings(max_examples=4, **SETTINGS)
def test_every_operation_answers_anonymous_readers_as_its_schema_says(case, unlimited, programme):
    case.call_and_validate(excluded_checks=LENIENT)
