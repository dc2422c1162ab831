"""gunicorn configuration for production (`make serve`, or `gunicorn -c config/gunicorn.py`).

Everything can be overridden by the environment: PORT/BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT.
The app keeps no state of its own, so more app servers behind a load balancer just run this.
"""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# PDFs take about a second; a worker should finish its request before a restart kills it.
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# One line per request to stdout, errors to stderr: what a log collector expects.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Whose X-Forwarded-Proto gunicorn believes: the same proxies as the app's TRUSTED_PROXIES
# (which the app uses for X-Forwarded-For), 127.0.0.1 when none are set.
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"
)
