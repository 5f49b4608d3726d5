"""Amazon Polly: a provider of the HTTP speech family, signed with AWS Signature V4 (`declaration`: what
its documents and AWS's service model say; `models`: its wire payloads). The package exports the provider."""

from harness.providers.polly.declaration import PROVIDER

__all__ = ["PROVIDER"]
