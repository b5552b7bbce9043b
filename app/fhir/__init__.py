"""FHIR clients, an audience of their own: the saate published as a FHIR Questionnaire.

Public and read-only, under /fhir; no session, no language prefix. The documents are
made in app/reporting/fhir.py; a case's QuestionnaireResponse is a staff download
(app/staff/case_view.py).
"""

from flask import Blueprint

bp = Blueprint("fhir", __name__, url_prefix="/fhir")

from . import routes  # noqa: E402, F401
