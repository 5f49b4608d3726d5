"""Sending a run's jobs and receiving their answers: one job end to end, by its endpoint's wire family."""
