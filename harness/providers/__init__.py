"""Provider packages: one per provider, each exporting `PROVIDER` (its declarative spec).

Each package holds what its documents say: `spec.py` (endpoints, models, lifecycle, prices, limits,
documentation drift). How the sandbox imitates a provider lives with the sandbox
(`harness.sandbox.emulations`). Providers are registered through the `tts_harness.providers` entry
point; the core never imports them.
"""
