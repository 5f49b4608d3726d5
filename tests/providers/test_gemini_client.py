"""Google's official Gen AI client `google-genai`, unchanged, against the sandbox's imitation of the built-in `gemini`
(generateContent with audio output, in the HTTP speech family): a synthesis whose inlineData holds speech, and a bad
key as the client's own typed `ClientError`; and the client's streamed call (generate_content_stream:
streamGenerateContent?alt=sse), its pieces joined into the speech, a bad key raising the same typed error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode_raw
from tests.helpers.installed import skip_unless_installed

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

# Imported where used, not while collecting (tests.helpers.installed).
pytestmark = skip_unless_installed(
    "google.genai", reason="the official clients are test extras: pip install -e .[test]"
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("gemini",)) as running_sandbox:
        yield running_sandbox


def _client(base: str, key: str) -> Any:
    from google.genai import Client, types

    # the guide's REST calls are v1beta (the client's own option; it defaults to v1 against a custom base URL)
    return Client(api_key=key, http_options=types.HttpOptions(base_url=base, api_version="v1beta"))


def _speak(client: Any) -> Any:
    from google.genai import types

    voice = types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore"))
    return client.models.generate_content(
        model="gemini-3.8-flash-tts",
        contents=TEXT,
        config=types.GenerateContentConfig(
            response_modalities=["AUDIO"], speech_config=types.SpeechConfig(voice_config=voice)
        ),
    )


def test_gemini_client_speaks_and_refuses_a_bad_key(sandbox: Any) -> None:
    from google.genai import errors

    base = sandbox.base_url("gemini", "api")
    answer = _speak(_client(base, sandbox.default_key("gemini")))
    data = answer.candidates[0].content.parts[0].inline_data
    assert data.mime_type == "audio/L16;codec=pcm;rate=24000"
    samples = decode_raw(data.data, "pcm_s16le")  # little-endian, as the guide's sample writes them into a WAV
    assert float(np.sum(np.abs(samples) > 0.02)) / 24000 > 0.5
    with pytest.raises(errors.ClientError) as refused:
        _speak(_client(base, BAD_KEY))
    assert refused.value.code == 400 and refused.value.status == "INVALID_ARGUMENT"


def _speak_streamed(client: Any) -> list[Any]:
    from google.genai import types

    voice = types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore"))
    return list(
        client.models.generate_content_stream(
            model="gemini-3.8-flash-tts",
            contents=TEXT,
            config=types.GenerateContentConfig(
                response_modalities=["AUDIO"], speech_config=types.SpeechConfig(voice_config=voice)
            ),
        )
    )


def test_gemini_client_streams_the_speech_in_pieces_and_refuses_a_bad_key(sandbox: Any) -> None:
    from google.genai import errors

    base = sandbox.base_url("gemini", "api")
    pieces = _speak_streamed(_client(base, sandbox.default_key("gemini")))
    assert len(pieces) > 1  # a stream, not one answer
    parts = [p.candidates[0].content.parts[0].inline_data for p in pieces]
    assert {part.mime_type for part in parts} == {"audio/L16;codec=pcm;rate=24000"}
    samples = decode_raw(b"".join(part.data for part in parts), "pcm_s16le")
    assert float(np.sum(np.abs(samples) > 0.02)) / 24000 > 0.5
    with pytest.raises(errors.ClientError) as refused:
        _speak_streamed(_client(base, BAD_KEY))
    assert refused.value.code == 400 and refused.value.status == "INVALID_ARGUMENT"
