"""GET /fhir/Questionnaire/saate: the saate as a FHIR R4 Questionnaire (JSON)."""

from __future__ import annotations

from flask import Response, request

from app.reporting import fhir

from . import bp

# Public and the same for everyone: kept a few minutes by browsers and proxies, then
# checked again by its ETag.
MAX_AGE_SECONDS = 300


@bp.get("/Questionnaire/saate")
def questionnaire() -> Response:
    document = fhir.questionnaire(fhir.saate_publication())
    response = Response(fhir.as_json(document), mimetype=fhir.MEDIA_TYPE)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response.add_etag()
    return response.make_conditional(request)
