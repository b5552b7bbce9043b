"""Reporting: statistics in SQL, their SVG charts and anonymous CSV, the FHIR hand-over."""
