"""Rendering: an edition -> HTML, in a sandbox that sees inert data only."""
