"""Wire protocols that many providers speak, in the core vocabulary, so a provider that speaks one is a
few lines of configuration (see `harness.core.declared`) instead of a provider package."""
