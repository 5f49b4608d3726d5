"""How the sandbox imitates each provider, one package per provider (the moto side of botocore/moto).

A provider package (`harness.providers.<name>`) declares what its documents say; the package here with
the same name reads those declarations and adds how the sandbox behaves: voices, timings, bodies and
error words. See `harness.sandbox` for the protocol an emulation implements.
"""
