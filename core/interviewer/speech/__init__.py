"""Speech to text for spoken answers and spoken chat messages (docs/models.md)."""
