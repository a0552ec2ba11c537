"""Every model the platform uses: registry, status, download (docs/models.md).

Import the parts from their modules (``core.models.service`` for status / pull and the
factories' defaults); this package imports nothing heavy.
"""
