"""How much one request may carry; more is a friendly 413 page (templates/errors/413.html).

- The body: MAX_CONTENT_LENGTH (SAATE_MAX_REQUEST_KB), enforced by Werkzeug for
  every body, url-encoded ones too.
- The number of form fields: MAX_FORM_PARTS. Werkzeug counts the parts of a
  multipart body only; the url-encoded bodies that every form here sends are
  counted below, once, for every request.
"""

from __future__ import annotations

from flask import Flask, Request
from werkzeug.exceptions import RequestEntityTooLarge


class BoundedRequest(Request):
    """A request whose form has at most MAX_FORM_PARTS fields, whatever its encoding."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        limit = self.max_form_parts
        if limit is not None and form_size(self) > limit:
            # Nothing of an oversized form is used: a later read finds it empty.
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            raise RequestEntityTooLarge()


def form_size(request: Request) -> int:
    """How many fields were sent: every value of a repeated name counts."""
    form, files = request.__dict__["form"], request.__dict__["files"]
    return sum(len(values) for _, values in form.lists()) + sum(
        len(values) for _, values in files.lists())


def init_app(app: Flask) -> None:
    app.request_class = BoundedRequest
