"""Provider packages: one per provider, each exporting `PROVIDER` (its declarative spec) and nothing else.

Each package holds what its documents say, in one shape (ARCHITECTURE.md, "Adding a provider";
tests/test_layout.py): `models` (wire models, lifecycle, documented limits), `endpoints` (the `Endpoint`
declarations, `ENDPOINTS`), `spec.py` (the `Provider` assembling them), and where the provider has
them `pricing.py`, `drift.py`, `offerings.py`. How the sandbox imitates a provider lives with the
sandbox (`harness.sandbox.emulations`). Providers are registered through the `tts_harness.providers`
entry point; the core never imports them.
"""
