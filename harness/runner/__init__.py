"""The benchmark runner: latency and cost of every provider and model, measured honestly, stored as raw rows.

Layers, each a small module: `config` (settings from CLI, TOML, pyproject), `corpus` (texts with
versions), `plan` (jobs and their worst-case prices) and `budget` (what may still be spent), `target`
(where requests go: sandbox, live, URL), `timing` (monotonic marks and derived latencies), `polling`
(the adaptive status schedule), `webhook` (the local HTTPS receiver), `job` (one job: its shared
`services` and its `record`), `executor` (one job end to end, by its endpoint's role: `waiting` polls or
awaits a webhook, `audio_answer` reads audio from the answer or a stream — plain functions taking the `Job`),
`runner` (a whole run, resumable), `session` (one run from start to end), `lease` (one writer per run),
`marks_evidence` (an answer's timing marks, a socket's or an HTTP answer's, kept as evidence; `marks_request` the
marks asked in a request of their own), `summary` (its figures; `summary_view` the
sections it prints, `seam_view` the seams' and rates' among them, `marks_view` the timing marks', `summary_format`
them as text, Markdown or JSON). Its rows are written and read through `harness.results` (the
schema: read `harness.results.schema`).
"""
