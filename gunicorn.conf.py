"""Production serving: `gunicorn -c gunicorn.conf.py wsgi:app` (see README)."""

import os

bind = os.environ.get("SAATE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SAATE_WORKERS", "2"))
