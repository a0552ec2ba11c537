"""Reviewing an interview: the timeline bundle, judgement, exports and erasure."""
