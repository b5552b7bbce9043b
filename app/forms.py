"""The base of every form in Saate: whatever is typed arrives as clean text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, TextAreaField
from wtforms.fields.core import UnboundField

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


class BaseForm(FlaskForm):
    """Every form inherits this: each field's data passes app.text.clean_text."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict) -> Field:
            cleaner = cleaning_filter(unbound_field.field_class)
            if cleaner is not None:
                filters = [*unbound_field.kwargs.get("filters", ()), cleaner]
                options = {**options, "filters": filters}
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]
