"""Scheduling: time slots, atomic bookings, candidates' secret links and their reissue."""
