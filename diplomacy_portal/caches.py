"""The default cache: Redis, except allauth's rate limits, which are kept in the database.

allauth reads and writes its rate limits in the default cache and has no setting for another.
In Redis, a Redis outage would either stop every sign-in (its lock is never taken, so it
refuses) or, failing open, lift the limits on guessing passwords. In PostgreSQL they hold
whatever Redis does, at the cost of a few queries on the POSTs allauth limits."""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# allauth's keys: allauth:rl:<app>:<action>:<rate>:<who>, and the same with ":lock".
RATE_LIMIT_KEYS = "allauth:rl:"


class RateLimitsInDatabaseCache(BaseCache):
    """Sends each key to the cache alias named in OPTIONS: RATE_LIMITS for allauth's rate
    limits, CACHE for everything else."""

    def __init__(self, location, params):
        super().__init__(params)
        self.cache_alias = params["OPTIONS"]["CACHE"]
        self.rate_limits_alias = params["OPTIONS"]["RATE_LIMITS"]

    def cache_for(self, key) -> BaseCache:
        is_rate_limit = str(key).startswith(RATE_LIMIT_KEYS)
        return caches[self.rate_limits_alias if is_rate_limit else self.cache_alias]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.cache_for(key).add(key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self.cache_for(key).get(key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.cache_for(key).set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.cache_for(key).touch(key, timeout, version)

    def delete(self, key, version=None):
        return self.cache_for(key).delete(key, version)

    def has_key(self, key, version=None):
        return self.cache_for(key).has_key(key, version)

    def incr(self, key, delta=1, version=None):
        return self.cache_for(key).incr(key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self.cache_for(key).decr(key, delta, version)

    def get_many(self, keys, version=None):
        found = {}
        for cache, some in self._by_cache(keys).items():
            found |= cache.get_many(some, version)
        return found

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = []
        for cache, some in self._by_cache(data).items():
            failed += cache.set_many({key: data[key] for key in some}, timeout, version) or []
        return failed

    def delete_many(self, keys, version=None):
        for cache, some in self._by_cache(keys).items():
            cache.delete_many(some, version)

    def clear(self):
        caches[self.cache_alias].clear()
        caches[self.rate_limits_alias].clear()

    def _by_cache(self, keys) -> dict[BaseCache, list]:
        grouped = {}
        for key in keys:
            grouped.setdefault(self.cache_for(key), []).append(key)
        return grouped
