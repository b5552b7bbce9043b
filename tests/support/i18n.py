"""The app's own catalogues, read in tests to name expected texts without copying them."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext, ngettext, pgettext


def translated(app: Flask, locale: str, msgid: str, context: str | None = None,
               **variables: object) -> str:
    with app.test_request_context("/"), force_locale(locale):
        if context:
            return pgettext(context, msgid, **variables)
        return gettext(msgid, **variables)


def translated_plural(app: Flask, locale: str, singular: str, plural: str, num: int) -> str:
    with app.test_request_context("/"), force_locale(locale):
        return ngettext(singular, plural, num)
