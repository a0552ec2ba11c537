"""Recruiter analytics: a DuckDB copy of the operational tables (``store``), the dashboard's
queries (``queries_*``), chart builders (``charts``), the cached service (``dashboard``) and
synthetic data (``synthetic*``). See docs/analytics.md."""
