"""The sandbox's imitation of every provider of the asynchronous jobs family (`harness.core.protocols.jobs`):
any `JobsService` is served from its declaration alone (`responses` says how)."""

from harness.sandbox.emulations.jobs.responses import JobsEmulation

# A class, built by the engine for each provider whose `protocol` is "jobs".
EMULATION = JobsEmulation

__all__ = ["EMULATION"]
