"""Acme Speech: text to speech behind one queued-job endpoint, a provider of the jobs family (the worked
example of docs/adding-a-provider.md). Its wire payloads are in `models`, the rest of what its page says in
`declaration`."""

from acme_tts.declaration import PROVIDER

__all__ = ["PROVIDER"]
