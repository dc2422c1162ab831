"""A small rate limit on the shared cache, for forms anyone can post (subscribe, feedback,
password reset). No external captcha: a limit per address and window, and a honeypot field."""

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address as the proxy set it up (REMOTE_ADDR; see settings and nginx)."""
    return request.META.get("REMOTE_ADDR", "")


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for (scope, key); False once more than ``limit`` fell in the window."""
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
