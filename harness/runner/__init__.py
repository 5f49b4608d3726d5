"""The benchmark runner: latency and cost of every provider and model, measured honestly, stored as raw rows.

Its phases, each a package whose `__init__` declares what the others may use, in the order they import one another:
`plan` (settings, the run's language, jobs and their worst-case prices, the budget, the target), `record` (each
job's record and moments, provenance, the lease and the journal), `deliver` (one job end to end by its wire family:
sending, waiting, fetching and keeping the audio); `summary` (the end-of-run summary, reading only the plan's
prices) beside them. A whole run composes them: `run` (plan, price, start the target, execute every job under the
caps, resume after a crash), `session` (one `bench run` from start to end) and `dry_run` (the run without sending
anything). Its rows are written and read through `harness.results` (the schema: `harness.results.schema`); the
use case that every face calls is `harness.benchmark`.
"""
