"""Coding problems: file format, bank loader, harnesses and grading."""
