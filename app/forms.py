"""The base of every form in Saate: whatever is typed arrives as clean text, and
whatever WTForms itself says is in our words, in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import LazyString
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Field, PasswordField, TextAreaField
from wtforms.fields.core import UnboundField

from app.i18n import lazy_gettext as _l
from app.text import clean_value


def text_filter(multiline: bool) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        return clean_value(value, multiline=multiline)

    clean.__name__ = "clean_text" if multiline else "clean_line"
    return clean


CLEAN_TEXT = text_filter(multiline=True)
CLEAN_LINE = text_filter(multiline=False)


def cleaning_filter(field_class: type[Field]) -> Callable[[Any], Any] | None:
    """Text areas keep their lines, other fields are one line; passwords stay as typed
    (they are only ever hashed, and changing them would lock people out)."""
    if issubclass(field_class, PasswordField):
        return None
    return CLEAN_TEXT if issubclass(field_class, TextAreaField) else CLEAN_LINE


_CHOOSE = _l("Choose one of the options given")
# WTForms' own messages, met only when a posted value is not one the page offered
# (a forged choice, a broken number): in our catalogues, plain Finnish too, and never
# repeating the posted value back.
BUILT_IN_MESSAGES: dict[str, LazyString] = {
    "Not a valid choice.": _CHOOSE,
    "Invalid Choice: could not coerce.": _CHOOSE,
    "Invalid choice(s): one or more data inputs could not be coerced.": _CHOOSE,
    "'%(value)s' is not a valid choice for this field.": _CHOOSE,
    "This field is required.": _l("Answer this question"),
    "Not a valid integer value.": _l("Something in the request was wrong"),
}


class OwnMessages:
    """Translations for WTForms: ours where we have them, else WTForms' own catalogue."""

    def gettext(self, string: str) -> str:
        own = BUILT_IN_MESSAGES.get(string)
        return str(own) if own is not None else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = BUILT_IN_MESSAGES.get(singular)
        if own is not None:
            return str(own)
        return wtforms_translations.ngettext(singular, plural, n)


OWN_MESSAGES = OwnMessages()


class BaseForm(FlaskForm):
    """Every form inherits this: each field's data passes app.text.clean_text, and
    WTForms' built-in messages come from our catalogues (OwnMessages)."""

    class Meta:
        def get_translations(self, form: Any) -> OwnMessages:
            return OWN_MESSAGES

        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict) -> Field:
            cleaner = cleaning_filter(unbound_field.field_class)
            if cleaner is not None:
                filters = [*unbound_field.kwargs.get("filters", ()), cleaner]
                options = {**options, "filters": filters}
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]
