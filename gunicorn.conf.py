"""Production serving: `gunicorn -c gunicorn.conf.py wsgi:app` (see README).

Every value comes from an environment variable with a default that suits a
small county service behind a reverse proxy (README, "Running it in production").
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("SAATE_BIND", "127.0.0.1:8000")

# Threads let a worker keep serving while one request waits for the database or
# the mail server, and keep-alive connections from the proxy work.
worker_class = "gthread"
workers = _int("SAATE_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _int("SAATE_THREADS", 2)

# A request silent this long gets its worker restarted; on stop or reload,
# requests in flight get this long to finish; idle proxy connections stay open this long.
timeout = _int("SAATE_TIMEOUT", 30)
graceful_timeout = _int("SAATE_GRACEFUL_TIMEOUT", 30)
keepalive = _int("SAATE_KEEPALIVE", 5)

# Saate's URLs and cookies are short: anything much longer is not a visitor.
# (Request bodies are limited by the app: SAATE_MAX_REQUEST_KB.)
limit_request_line = 2048
limit_request_fields = 50
limit_request_field_size = 8190

# Logs: access lines to stdout, everything else to stderr. app.logs.GunicornLogger
# makes the access atoms: no query string, no header (so no cookie), no referrer,
# and the secret of status links masked; every line has its control characters escaped.
logger_class = "app.logs.GunicornLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SAATE_LOG_LEVEL", "info").lower()
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Which proxy to believe about the client's address and scheme is the app's
# decision (werkzeug's ProxyFix, SAATE_TRUSTED_PROXIES): gunicorn trusts no
# X-Forwarded-* header from anyone, on TCP or on a Unix socket.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""
