"""How the sandbox imitates each provider, one package per provider or protocol (`openai` serves every
provider declared with the `openai-speech` protocol): the moto side of botocore/moto.

A provider package (`harness.providers.<name>`) declares what its documents say; the package here with
the same name reads those declarations and adds how the sandbox behaves, in one shape (ARCHITECTURE.md,
"Adding a provider"; tests/test_layout.py): `models` (voices, timings, catalogues, per-key state),
`responses` (the `Emulation` subclass: plans, bodies, refusals in the provider's words; handlers of
endpoints that are not jobs), `routes.py` where those handlers span several modules, and `__init__`
exporting `EMULATION` only. See `harness.sandbox` for the protocol an emulation implements.
"""
