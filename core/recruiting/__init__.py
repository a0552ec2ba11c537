"""Recruiting: candidates (with resumes), jobs, templates and the interviews built from them."""
