"""Candidate email: message text, calendar invites, SMTP transport and the outbox worker.

Mail is written to the ``email_outbox`` table in the same transaction as the booking that causes
it (:func:`core.mail.worker.enqueue`) and delivered later by :func:`core.mail.worker.process_due`
(run by a daemon thread or ``python -m core mail-worker``). See ``docs/mail.md``.
"""
