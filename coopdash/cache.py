"""Django's Redis cache, as an accelerator that is never a dependency.

When Redis does not answer (stopped, restarting, unreachable), a read misses and a write is
skipped, and for the next few seconds the cache is not asked at all, so that a request costs
no more than a page rendered without a cache. Failures are logged, never raised.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds during which a cache that failed is not asked again


class ResilientRedisCache(RedisCache):
    down_until = 0.0

    def _guard(self, call, fallback):
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return call()
        except Exception as error:  # whatever the cache server or its client raise
            self.down_until = time.monotonic() + RETRY_AFTER
            log.warning("cache %s unavailable (%s): serving without it", self._servers, error)
            return fallback

    def get(self, key, default=None, version=None):
        parent = super()
        return self._guard(lambda: parent.get(key, default, version), default)

    def get_many(self, keys, version=None):
        parent = super()
        return self._guard(lambda: parent.get_many(keys, version), {})

    def set(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.set(*args, **kwargs), None)

    def add(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.add(*args, **kwargs), False)

    def set_many(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.set_many(*args, **kwargs), [])

    def delete(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.delete(*args, **kwargs), False)

    def touch(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.touch(*args, **kwargs), False)

    def has_key(self, *args, **kwargs):
        parent = super()
        return self._guard(lambda: parent.has_key(*args, **kwargs), False)

    def clear(self):
        parent = super()
        return self._guard(lambda: parent.clear(), None)

    def available(self):
        """Whether Redis answers now (the health check asks)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except Exception:
            return False
