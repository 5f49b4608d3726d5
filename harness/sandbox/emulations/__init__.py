"""How the sandbox imitates each protocol or provider: one folder per imitation (the moto side of the
botocore/moto split; the declarations stay in `harness.core` and `harness.providers`)."""
