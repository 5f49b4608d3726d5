"""Provider packages: one per provider, each exporting `PROVIDER` (its declarative spec).

Each package holds everything about its provider: `spec.py` (endpoints, models, lifecycle, prices,
documentation drift) and `emulation.py` (how the sandbox renders that provider's payloads). They are
registered through the `tts_harness.providers` entry point; the core never imports them.
"""
