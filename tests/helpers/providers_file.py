"""Providers-file text for tests that declare OpenAI-compatible providers (`harness.core.declared`)."""

from __future__ import annotations

from pathlib import Path

from harness.core import declared
from harness.core.spec import Provider


def speech_table(name: str, base_url: str, key_env: str, models: tuple[str, ...] = ("m",),
                 voices: tuple[str, ...] = ("v",), formats: tuple[str, ...] = ("wav",)) -> str:
    """One `[providers.<name>]` table speaking the OpenAI speech protocol."""
    def listed(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{value}"' for value in values) + "]"

    return (f'\n[providers.{name}]\nprotocol = "openai-speech"\nbase_url = "{base_url}"\nkey_env = "{key_env}"\n'
            f"models = {listed(models)}\nvoices = {listed(voices)}\nformats = {listed(formats)}\n")


def declared_providers(*tables: str) -> list[Provider]:
    """The providers the tables declare, parsed as the harness parses a providers file."""
    return declared.parse("".join(tables), Path("tts-harness.toml")).providers()
