"""Providers files in tests: the text of a table declaring an OpenAI-compatible provider, the providers
such tables declare, and putting a file in effect for the length of a block (the registry reads it once
and caches, so its caches are cleared on the way in and out: no other test of the session sees the file)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core import declared
from harness.core.errors import UsageError
from harness.core.spec import Provider


def speech_table(
    name: str,
    base_url: str,
    key_env: str,
    models: tuple[str, ...] = ("m",),
    voices: tuple[str, ...] = ("v",),
    formats: tuple[str, ...] = ("wav",),
) -> str:
    """One `[providers.<name>]` table speaking the OpenAI speech protocol."""

    def listed(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{value}"' for value in values) + "]"

    return (
        f'\n[providers.{name}]\nprotocol = "openai-speech"\nbase_url = "{base_url}"\nkey_env = "{key_env}"\n'
        f"models = {listed(models)}\nvoices = {listed(voices)}\nformats = {listed(formats)}\n"
    )


def declared_providers(*tables: str) -> list[Provider]:
    """The providers the tables declare, parsed as the harness parses a providers file."""
    return declared.parse("".join(tables), Path("tts-harness.toml")).providers()


@contextlib.contextmanager
def providers_file_in_effect(path: Path) -> Iterator[None]:
    from harness.core import registry

    saved = os.environ.get(declared.FILE_ENV)
    os.environ[declared.FILE_ENV] = str(path)
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    registry.declared_prices.cache_clear()  # the file's [prices] table
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(declared.FILE_ENV, None)
        else:
            os.environ[declared.FILE_ENV] = saved
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
        registry.declared_prices.cache_clear()


def parse_tables(text: str, file: Path = Path("tts-harness.toml")) -> list[Any]:
    """The providers a providers file's text declares, built (a `like` table is checked against its built-in)."""
    return declared.parse(text, file).providers()


def one_line_refusal(text: str) -> str:
    """The one-line usage error a providers file's text gets (a mistake names the file and the table's key)."""
    with pytest.raises(UsageError) as raised:
        parse_tables(text)
    message = str(raised.value)
    assert "\n" not in message and message.startswith("tts-harness.toml: providers."), message
    return message
