"""The clouds' official Python clients, unchanged, against the sandbox's imitation of the HTTP speech
family: Google's `TextToSpeechClient` over its REST transport (the key as `x-goog-api-key`, base64 audio in
`audioContent`) and boto3's Polly client (every request signed with SigV4, checked by the sandbox with the
secret it knows). Each: a synthesis decoded to real speech, the voices list, and a bad credential giving the
client's own typed error. Install them with `pip install -e .[test]`.

Neither has a streamed call to drive over HTTP: Google's `streaming_synthesize` exists on its gRPC transport
only, and Polly's SynthesizeSpeech answers one audio stream (boto3 reads it as `AudioStream`, as here).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from harness.sandbox import Sandbox
from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox, in a cloud's own client."
MISSING = "the clouds' official clients are a test extra: pip install -e .[test]"


def _speech_seconds(samples: Any, rate: int) -> float:
    """Seconds of audio above a whisper: real speech, not silence or noise of the right length."""
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


def test_google_client_synthesizes_lists_voices_and_raises_its_own_error(sandbox: Sandbox) -> None:
    texttospeech = pytest.importorskip("google.cloud.texttospeech", reason=MISSING)
    client_options = pytest.importorskip("google.api_core.client_options", reason=MISSING)
    exceptions = pytest.importorskip("google.api_core.exceptions", reason=MISSING)

    def client(key: str) -> Any:
        options = client_options.ClientOptions(api_endpoint=sandbox.base_url("google", "api"), api_key=key)
        return texttospeech.TextToSpeechClient(transport="rest", client_options=options)

    good = client(sandbox.default_key("google"))
    answer = good.synthesize_speech(
        input=texttospeech.SynthesisInput(text=TEXT),
        voice=texttospeech.VoiceSelectionParams(language_code="en-US", name="en-US-Neural2-F"),
        audio_config=texttospeech.AudioConfig(
            audio_encoding=texttospeech.AudioEncoding.LINEAR16, sample_rate_hertz=16000
        ),
    )
    clip = decode(answer.audio_content)  # LINEAR16 "also contains a WAV file header"
    assert clip.sample_rate == 16000 and _speech_seconds(clip.samples, 16000) > 0.5
    voices = good.list_voices(language_code="en-US").voices
    assert "en-US-Neural2-F" in {voice.name for voice in voices}
    with pytest.raises(exceptions.BadRequest, match="API key not valid"):  # its type for an HTTP 400
        client("not-a-key").synthesize_speech(
            input=texttospeech.SynthesisInput(text=TEXT),
            voice=texttospeech.VoiceSelectionParams(language_code="en-US"),
            audio_config=texttospeech.AudioConfig(audio_encoding=texttospeech.AudioEncoding.MP3),
        )


def test_boto3_polly_signs_synthesizes_lists_voices_and_raises_its_own_errors(sandbox: Sandbox) -> None:
    boto3 = pytest.importorskip("boto3", reason=MISSING)
    botocore_exceptions = pytest.importorskip("botocore.exceptions", reason=MISSING)
    key = sandbox.default_key("polly")  # a sandbox key is its own id and its own secret

    def polly(key_id: str, secret: str) -> Any:
        return boto3.client(
            "polly",
            endpoint_url=sandbox.base_url("polly", "api"),
            region_name="us-east-1",
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
        )

    client = polly(key, key)
    answer = client.synthesize_speech(Text=TEXT, OutputFormat="pcm", VoiceId="Joanna", Engine="neural")
    audio = answer["AudioStream"].read()
    assert answer["ContentType"] == "audio/pcm" and int(answer["RequestCharacters"]) == len(TEXT)
    assert _speech_seconds(decode_raw(audio, "pcm_s16le"), 16000) > 0.5  # pcm: 16 kHz by default
    voices = client.describe_voices(Engine="long-form", LanguageCode="en-US")["Voices"]
    assert "Ruth" in {voice["Id"] for voice in voices}
    with pytest.raises(botocore_exceptions.ClientError) as unknown:
        polly("AKIANOSUCHKEY0000000", "whatever").synthesize_speech(Text=TEXT, OutputFormat="mp3", VoiceId="Joanna")
    assert unknown.value.response["Error"]["Code"] == "UnrecognizedClientException"
    with pytest.raises(botocore_exceptions.ClientError) as forged:
        polly(key, "not-the-secret").synthesize_speech(Text=TEXT, OutputFormat="mp3", VoiceId="Joanna")
    assert forged.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_providers_says_how_each_key_travels_and_where_a_region_comes_from() -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    result = CliRunner().invoke(app, ["providers", "--json"])
    assert result.exit_code == 0, result.output
    listed = {item["name"]: item for item in json.loads(result.output)}
    assert listed["polly"]["auth"] == "AWS Signature V4" and listed["polly"]["region_env"] == "AWS_REGION"
    assert listed["google"]["auth"] == "x-goog-api-key: KEY or ?key= or Authorization: Bearer KEY"
    assert listed["azure"]["region_env"] == "AZURE_SPEECH_REGION" and listed["azure"]["family"] == "http-speech"
