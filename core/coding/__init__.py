"""Coding challenges: the problem bank, the languages, the sandbox and graded attempts."""
