"""Landing and information pages."""

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.i18n import preferred_language

from . import bp


@bp.get("/")
def root() -> Response:
    return redirect(url_for("public.landing", lang=preferred_language().segment))


@bp.get("/<lang:lang>/")
def landing() -> str:
    return render_template("public/landing.html")


@bp.get("/<lang:lang>/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/<lang:lang>/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")

