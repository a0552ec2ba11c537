"""Intervista core: services, engines and data layer. Never imports streamlit (except core/ui)."""
