"""The language comes from the URL alone: English under /en/, Swedish everywhere else.

Django's LocaleMiddleware would otherwise fall back to the browser's Accept-Language for URLs
without a prefix (the staff area, the admin) and could silently switch a Swedish citizen or
official to English. Here the choice is always the user's: the language links in the header.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_language_from_path


class UrlLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Do not let an English request leave English active for whatever runs next on this
        # thread (a management command, a test, the next request's early code).
        translation.deactivate()
        return response
