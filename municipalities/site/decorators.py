"""Decorators for the staff area (everything under /personal/)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from municipalities.permissions import request_scope


def staff_required(view):
    """Signed-in members of an organisation (or superusers) only.

    Not signed in, or the session has expired: a plain request is redirected to the login page;
    an htmx request gets ``HX-Redirect`` so the *browser* goes to the login page instead of htmx
    swapping a login form into a fragment. After signing in, the user returns to the page they
    were on (for htmx, the page that sent the request, not the fragment's URL).

    Signed in without any membership: 403, since there is nothing on the staff pages for them.

    Sets ``request.scope``: what the user may see and do (``StaffScope``), worked out once here
    and passed down to the permission predicates, forms and queries of the view.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if request.htmx:
                next_url = request.htmx.current_url_abs_path or "/"
                login_url = redirect_to_login(next_url, resolve_url(settings.LOGIN_URL)).url
                return HttpResponseClientRedirect(login_url)
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if not request_scope(request).is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
