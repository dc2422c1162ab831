"""Request plumbing: the language from the URL, and the real client address behind a proxy.

The language comes from the URL alone: English under /en/, Swedish everywhere else. Django's
LocaleMiddleware would otherwise fall back to the browser's Accept-Language for URLs without a
prefix (the staff area, the admin) and could silently switch a Swedish citizen or official to
English. Here the choice is always the user's: the language links in the header.
"""

from ipaddress import ip_address, ip_network

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_language_from_path


class UrlLanguageMiddleware(LocaleMiddleware):
    """English under /en/, Swedish everywhere else; never the browser's Accept-Language."""

    def process_request(self, request):
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # Not LocaleMiddleware's: it adds "Vary: Accept-Language", which is untrue here (the URL
        # alone decides) and would make a shared cache keep a copy of every page per browser
        # Accept-Language string. Its other work, redirecting to a language prefix, never
        # applies: Swedish has none (prefix_default_language=False).
        response.headers.setdefault("Content-Language", translation.get_language())
        # Do not let an English request leave English active for whatever runs next on this
        # thread (a management command, a test, the next request's early code).
        translation.deactivate()
        return response


class ClientAddressMiddleware:
    """Put the real client address in ``REMOTE_ADDR`` when the request came through a trusted
    proxy (settings.TRUSTED_PROXIES), so django-axes, rate limits and logs key on the client.

    ``X-Forwarded-For`` is read only when the direct peer is a trusted proxy, and then from the
    right: each proxy appends the address it saw, so the rightmost address that is not itself a
    trusted proxy is the client; whatever is left of it the client may have written itself. The
    peer's own address stays in ``request.META["PROXY_ADDR"]``.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = [ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        client = self.client_behind(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if client != peer:
            request.META["PROXY_ADDR"] = peer
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)

    def client_behind(self, peer: str, forwarded_for: str) -> str:
        """The client's address: the peer, or the rightmost untrusted X-Forwarded-For entry."""
        if not self.is_trusted(peer):
            return peer
        client = peer
        for entry in reversed(forwarded_for.split(",")):
            address = _address(entry)
            if address is None:
                break  # a malformed entry: keep the last address a trusted hop vouched for
            client = str(address)
            if not self.is_trusted(client):
                break
        return client

    def is_trusted(self, address: str) -> bool:
        parsed = _address(address)
        return parsed is not None and any(parsed in proxy for proxy in self.proxies)


def _address(text: str):
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """The client address for django-axes (AXES_CLIENT_IP_CALLABLE): ``REMOTE_ADDR`` after
    ClientAddressMiddleware has replaced a trusted proxy's address with its client's."""
    return request.META.get("REMOTE_ADDR", "")
