"""How the sandbox imitates each wire family, one package per family, registered under the protocol its
providers name (`http_speech` serves every `http-speech` provider, `jobs` every `jobs` one): the moto side
of botocore/moto, answering any provider of the family from its declaration alone. They name no provider.

A provider package (`harness.providers.<name>`) declares what its documents say; a family's package here
reads those declarations and adds how the sandbox behaves. A provider its documents make truly its own
keeps its emulation in its own package instead (`harness.providers.<name>.emulation`, sandbox code by the
layers). Every emulation has one shape (docs/adding-a-provider.md; tests/test_layout.py):
`models` (voices, timings, catalogues, per-key state), `responses` (the `Emulation` subclass: plans,
bodies, refusals in the provider's words; handlers of endpoints that are not jobs), `routes.py` where those
handlers span several modules, and `__init__` exporting `EMULATION` only. See `harness.sandbox` for the
protocol an emulation implements.
"""
