"""What one request may carry, checked once for every request.

- The body: MAX_CONTENT_LENGTH (SAATE_MAX_REQUEST_KB), enforced by Werkzeug for
  every body, url-encoded ones too.
- The number of form fields: MAX_FORM_PARTS. Werkzeug counts the parts of a
  multipart body only (and MAX_FORM_MEMORY_SIZE applies to multipart only);
  the url-encoded bodies that every form here sends are counted below.
  Either limit passed is a friendly 413 page (templates/errors/413.html).
- The query string: each value is clean text on one line (app/text.py), as
  form fields are (app/forms.py), so a NUL or a bidi override typed into a URL
  never reaches a query or a page.
"""

from __future__ import annotations

from flask import Flask, Request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property

from app.text import clean_text


class IncomingRequest(Request):
    """A request whose form has at most MAX_FORM_PARTS fields and whose query is clean."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        limit = self.max_form_parts
        if limit is not None and form_size(self) > limit:
            # Nothing of an oversized form is used: a later read finds it empty.
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            raise RequestEntityTooLarge()

    @cached_property
    def args(self) -> MultiDict[str, str]:
        parsed = Request.args.fget(self)  # type: ignore[attr-defined]
        return self.parameter_storage_class(
            [(name, clean_text(value, multiline=False))
             for name, value in parsed.items(multi=True)])


def form_size(request: Request) -> int:
    """How many fields were sent: every value of a repeated name counts."""
    form, files = request.__dict__["form"], request.__dict__["files"]
    return sum(len(values) for _, values in form.lists()) + sum(
        len(values) for _, values in files.lists())


def init_app(app: Flask) -> None:
    app.request_class = IncomingRequest
