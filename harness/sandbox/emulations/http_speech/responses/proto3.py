"""proto3 JSON as a protobuf server reads it: a field by its lowerCamelCase name or its original snake_case one
(an official client may send either, even both in one message: a socket's setup writing `speechConfig` with
`voice_config` inside). The imitation reads every such document by the camelCase names its declarations use
(`SpeechService.proto3_json`), for an HTTP request and a socket's message alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def camel_case(data: Any) -> Any:
    """A proto3 JSON document with every field by its lowerCamelCase name (`voice_name` → `voiceName`)."""
    if isinstance(data, Mapping):
        return {_camel(str(key)): camel_case(value) for key, value in data.items()}
    if isinstance(data, list):
        return [camel_case(item) for item in data]
    return data


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)
