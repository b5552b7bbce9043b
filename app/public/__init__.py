"""The client side: landing, contact request, the saate, resume and status pages.

Every page lives under a language prefix (/fi/, /sv/, /selko/); the prefix is
a URL converter built from the language registry, so an unknown one is a 404.
"""

from flask import Blueprint, Flask, Response, g, request
from werkzeug.routing import BaseConverter

from app.i18n import LANGUAGE_COOKIE, current_language, language_by_segment, public_languages

bp = Blueprint("public", __name__)


class LanguageConverter(BaseConverter):
    """Matches the URL segment of a public language."""

    segments: tuple[str, ...] = ()

    def __init__(self, url_map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(url_map, *args, **kwargs)
        self.regex = "|".join(sorted(self.segments, key=len, reverse=True)) or "(?!)"


def register_language_converter(app: Flask) -> None:
    segments = tuple(lang.segment for lang in public_languages())
    app.url_map.converters["lang"] = type(
        "AppLanguageConverter", (LanguageConverter,), {"segments": segments}
    )


@bp.record_once
def _on_register(state) -> None:  # type: ignore[no-untyped-def]
    with state.app.app_context():
        register_language_converter(state.app)


@bp.url_value_preprocessor
def _pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.language = language_by_segment(values.pop("lang"))


@bp.url_defaults
def _add_language(endpoint: str, values: dict) -> None:
    if "lang" not in values and g.get("language") is not None:
        values["lang"] = current_language().segment


@bp.after_request
def _remember_language(response: Response) -> Response:
    language = g.get("language")
    in_language_page = request.url_rule is not None and "lang" in request.url_rule.arguments
    if (language is not None and in_language_page
            and request.cookies.get(LANGUAGE_COOKIE) != language.segment):
        response.set_cookie(
            LANGUAGE_COOKIE, language.segment, max_age=60 * 60 * 24 * 365,
            httponly=True, samesite="Lax",
        )
    return response


from . import (  # noqa: E402, F401
    contact,
    crisis,
    follow_up,
    routes,
    saate,
    status,
)
