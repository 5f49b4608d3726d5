"""Provider packages: one per provider, each exporting `PROVIDER` (its declarative spec) and nothing else.

Each package holds what its documents say, in one shape (docs/adding-a-provider.md;
tests/test_layout.py): `models` (wire models, lifecycle, documented limits), `endpoints` (the `Endpoint`
declarations, `ENDPOINTS`), `spec.py` (the `Provider` assembling them), and where the provider has
them `pricing.py`, `drift.py`, `offerings.py` (a provider of a wire family is its `declaration.py` instead).
How the sandbox imitates a provider lives with the sandbox (`harness.sandbox.emulations`, one package per
wire family), except where a provider has an emulation of its own: that is `emulation/` in its package, sandbox
code by the layers (it imports the sandbox engine; nothing here imports it). Providers are registered through
the `tts_harness.providers` entry point; the core never imports them.
"""
