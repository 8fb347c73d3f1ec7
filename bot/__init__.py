"""Förderbot: funding answers for Saxon municipalities."""
