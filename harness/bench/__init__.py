"""The benchmark runner: latency and cost of every provider and model, measured honestly, stored as raw rows.

Layers, each a small module: `config` (settings from CLI, TOML, pyproject), `corpus` (texts with
versions), `plan` (jobs and their worst-case prices) and `budget` (what may still be spent), `target`
(where requests go: sandbox, live, URL), `timing` (monotonic marks and derived latencies), `polling`
(the adaptive status schedule), `webhook` (the local HTTPS receiver), `executor` (one job, end to end),
`runner` (a whole run, resumable), `store` (SQLite schema: read its docstring), `summary` (the table).
"""
