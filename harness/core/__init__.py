"""The provider-agnostic core: spec vocabulary, validation, lifecycles, drift, errors.

Nothing in this package names a provider; providers plug in through `harness.core.registry`.
"""
