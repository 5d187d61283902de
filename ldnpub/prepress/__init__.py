"""Prepress: imposition, press files for an output condition, preflight, job packages."""
