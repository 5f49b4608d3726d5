"""Acme Speech: text to speech behind one queued-job endpoint (the worked example of ARCHITECTURE.md)."""

from acme_tts.spec import PROVIDER

__all__ = ["PROVIDER"]
