"""Reporting: what leaves Saate for others to read (statistics, exports, FHIR)."""
