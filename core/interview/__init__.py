"""The candidate's interview: start, drafts, answers, skips, media, time and completion."""
