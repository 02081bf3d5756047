"""The portal's production caches, pointed at a Redis of the test's choosing (the test settings
use an in-process cache instead)."""

import copy

from diplomacy_portal import settings as production


def production_caches(redis_url: str) -> dict:
    caches = copy.deepcopy(production.CACHES)
    caches["redis"]["LOCATION"] = redis_url
    return caches
