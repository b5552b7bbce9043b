"""Links that leave the site (status links, links in e-mails), built from SAATE_BASE_URL.

Never from the request's Host header: whoever sends a request chooses that.
Pages themselves use relative links (url_for).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The full address of an endpoint at the service's public address (BASE_URL)."""
    base = urlsplit(current_app.config["BASE_URL"])
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
