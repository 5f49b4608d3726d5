"""What a run keeps: each job's record and moments, the run's provenance, its lease and its journal."""
