"""``python -m core synth``: synthetic interviews for analytics (``generate``), drawn by ``plan``
and written in bulk (``bulk``), each written row also put in the change record
(``core.db.changes``) so a running analytics copy picks it up."""
