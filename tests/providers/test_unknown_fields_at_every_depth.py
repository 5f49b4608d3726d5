"""Unknown fields at every depth follow one policy (issue 67): a request model that refuses to pass an unlisted field
unseen (`RequestModel`, extra "forbid", so `set_aside_unknown` finds it and the imitation records it where the
documents are silent) has nested objects that do the same. A nested model left at pydantic's default ("ignore") or
"allow" would take `voice_settings.optimize_streaming_latency` silently while the same field at the top is a finding.

Every built-in provider's HTTP request models (and their variants) and every socket message model are walked."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from harness.core.protocols.websocket_speech import SocketGrammar, socket_of
from harness.core.registry import providers
from harness.core.spec import Upload


def _nested(annotation: object, seen: set[type[BaseModel]]) -> None:
    """Every pydantic model an annotation reaches (unions, lists, dicts, Annotated included)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                _nested(field.annotation, seen)
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            _nested(argument, seen)


def _request_models() -> Iterator[tuple[str, type[BaseModel]]]:
    for name, provider in providers().items():
        for endpoint in provider.endpoints:
            roots = (endpoint.request, *(variant.model for variant in endpoint.request_variants))
            yield from ((f"{name} {endpoint.key}", root) for root in roots if root is not None)
        for channel in provider.channels:
            if isinstance(channel.grammar, SocketGrammar):
                yield from ((f"{name} {channel.key} {send.name}", send.model) for send in socket_of(channel).sends)


def test_nested_request_objects_forbid_what_their_top_level_forbids() -> None:
    lax: list[str] = []
    for where, root in _request_models():
        if root.model_config.get("extra") != "forbid":
            continue  # a body the provider writes to us (a webhook's), read as answers are
        seen: set[type[BaseModel]] = set()
        _nested(root, seen)
        # An `Upload` is a multipart file part, not a JSON object: it has no fields a client could add.
        lax += [
            f"{where}: {model.__module__}.{model.__qualname__}"
            for model in seen
            if model is not Upload and model.model_config.get("extra") != "forbid"
        ]
    assert not lax, "nested request models that pass unknown fields unseen:\n" + "\n".join(sorted(set(lax)))
