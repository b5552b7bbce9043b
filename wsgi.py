"""The WSGI entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""

import sys

from app import ConfigurationError, create_app

try:
    app = create_app()
except ConfigurationError as error:
    sys.exit(f"Saate will not start: {error}")
