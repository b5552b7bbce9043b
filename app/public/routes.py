"""Landing and information pages."""

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.i18n import preferred_language

from . import bp
from .helpers import current_draft
from .saate import resume_target


@bp.get("/")
def root() -> Response:
    return redirect(url_for("public.landing", lang=preferred_language().segment))


@bp.get("/<lang:lang>/")
def landing() -> str:
    draft = current_draft()
    unsent = draft if draft is not None and not draft.sent_case_id else None
    return render_template("public/landing.html",
                           continue_url=resume_target(unsent) if unsent else None)


@bp.get("/<lang:lang>/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/<lang:lang>/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")

