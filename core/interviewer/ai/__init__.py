"""The interviewer's engines: answer evaluation (LLM or offline), question generation,
follow-ups and clarifications, and overall feedback. See docs/evaluator.md.

Import from the modules themselves (``core.interviewer.ai.types`` and so on): this package
re-exports nothing, so importing one engine never drags in the others."""
