"""Django's built-in RedisCache, made to degrade instead of break when Redis is down.

A cache is an optimisation: when Redis stops answering, every read is a miss,
every write is dropped, and the site keeps serving from the database (slower,
not broken). After a failure Redis is left alone for a few seconds (a circuit
breaker), so readers do not each wait for a connect timeout; the outage is
logged once per trip, not once per request.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")

# Seconds to skip Redis after a failure before trying again.
RETRY_AFTER = 5.0

# LOCATION -> monotonic time until which that Redis is considered down. Shared by
# the per-thread cache instances of one process.
_down_until = {}


class ResilientRedisCache(RedisCache):
    def _available(self):
        return _down_until.get(self._location_key, 0.0) <= time.monotonic()

    @property
    def _location_key(self):
        return ",".join(self._servers)

    def _failed(self, operation, error):
        if self._available():
            logger.warning(
                "Redis cache unavailable (%s failed: %s); serving from the database for %.0f s.",
                operation,
                error,
                RETRY_AFTER,
            )
        _down_until[self._location_key] = time.monotonic() + RETRY_AFTER

    def _guard(self, operation, call, fallback):
        if not self._available():
            return fallback
        try:
            return call()
        except (RedisError, OSError) as error:  # refused, reset, timed out: all mean "no cache"
            self._failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard(
            "get", lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._guard(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {}
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "set_many",
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._guard(
            "delete", lambda: super(ResilientRedisCache, self).delete(key, version), False
        )

    def delete_many(self, keys, version=None):
        return self._guard(
            "delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def has_key(self, key, version=None):
        return self._guard(
            "has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False
        )

    def clear(self):
        return self._guard("clear", lambda: super(ResilientRedisCache, self).clear(), False)

    def incr(self, key, delta=1, version=None):
        # A missing key is the documented ValueError; an unreachable Redis looks the same,
        # so callers handle both with the code they already have.
        result = self._guard(
            "incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), None
        )
        if result is None:
            raise ValueError(f"Key '{key}' not found (or the cache is unavailable).")
        return result
