"""The AI interviewer: answer evaluation, follow-ups, clarifications and question generation.

``ai/`` holds the engines (LLM and offline), ``question_bank/`` our own questions, and the
modules beside them the use cases that read and write the database."""
