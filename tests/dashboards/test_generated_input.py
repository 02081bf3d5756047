"""Generated input thrown at the dashboards' filters and downloads: never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sistercities.selectors.dashboard import SORTS
from tests.factories import SisterCityFactory
from tests.portal.test_generated_input import FUZZ, VALUE, answered_in_full

SORT = st.sampled_from([*SORTS, *(f"-{key}" for key in SORTS)]) | VALUE
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["", "active", "reviving", "dormant", "suspended"]) | VALUE,
        "fading": st.sampled_from(["on", "1", ""]) | VALUE,
        "sort": SORT,
        "page": VALUE,
    },
)


@pytest.fixture
def cities(db):
    return SisterCityFactory.create_batch(3)


@given(query=FILTERS)
@FUZZ
def test_the_dashboard_filters_and_downloads(official_client, cities, query):
    for url in ("/dashboard/", "/dashboard/tables/cities.csv", "/dashboard/tables/cities.xlsx"):
        assert answered_in_full(official_client.get(url, query), query), url
