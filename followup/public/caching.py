"""Public pages keyed on the data version: conditional requests and a cache of their output.

``public_page`` wraps a public GET view. Its ETag is made of the data version (bumped in the same
transaction as every write, see ``municipalities.versioning``): for a page of one kommun (a view
with a ``municipality_slug``) that kommun's version and the shared reference version, for the
national pages the national version; then today's date (progress depends on it), the language
and whether htmx asked for a fragment. A request that sends that ETag back
(``If-None-Match``) gets 304 Not Modified without the view running; otherwise the page is served
from the cache when the same version, day and address were rendered before in this process, and
rendered and stored if not. Nothing can be stale after a write: the write moves the version on,
so the next request builds a new ETag and a new cache key. Streamed and file responses (the
open-data downloads, files built once per data version in ``opendata``) get the ETag but are
never stored here.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from municipalities import versioning

# Long enough to matter under load; entries of old versions simply expire.
TIMEOUT = 10 * 60


def _state(request, municipality_slug):
    htmx = bool(getattr(request, "htmx", False))
    return (
        versioning.current(municipality_slug),
        timezone.localdate().isoformat(),
        translation.get_language(),
        htmx,
    )


def public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        state = _state(request, kwargs.get("municipality_slug"))
        digest = hashlib.sha256(repr(state).encode()).hexdigest()[:20]
        etag = f'"{digest}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified["ETag"] = etag
            _cache_control(request, not_modified)
            return not_modified
        key = "page:" + hashlib.sha256(f"{digest}:{request.get_full_path()}".encode()).hexdigest()
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                # Rendered now, so the cached copy holds bytes, not a lazy template response.
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(key, response, TIMEOUT)
        if response.status_code == 200:
            response["ETag"] = etag
            _cache_control(request, response)
        return response

    return wrapped


def _cache_control(request, response):
    """Let a shared cache (the nginx of config/nginx/portal.conf) keep a public page for
    PUBLIC_CACHE_SECONDS and serve it stale for a minute while it revalidates with the ETag
    (a 304 from here, the view not run), so a write shows within PUBLIC_CACHE_SECONDS. A request
    carrying a session cookie (staff, signed in or not) gets a private answer that no shared cache
    stores and the browser revalidates every time, so staff see their own writes at once. Also
    set on a 304, which renews the shared copy's freshness."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PUBLIC_CACHE_SECONDS,
            stale_while_revalidate=60,
        )
    patch_vary_headers(response, ["HX-Request"])
