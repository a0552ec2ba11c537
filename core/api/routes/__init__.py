"""The API's routes, one module per subject (like ``core``'s packages)."""
