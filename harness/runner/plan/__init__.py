"""A run's plan, fixed before anything is sent: its settings, its language, its jobs and their prices."""
