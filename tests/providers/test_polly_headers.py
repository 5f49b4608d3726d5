"""The answer headers boto3 reads from Polly, with boto3 unchanged against the sandbox's imitation: the request id
(`x-amzn-RequestId`, botocore's `ResponseMetadata.RequestId`) on every answer, errors included, and the billed
characters (`x-amzn-RequestCharacters`, SSML tags not counted: Polly's quotas page) with the documented
Content-Type on a synthesis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3", reason="the official clients are test extras: pip install -e .[test]")
botocore_exceptions = pytest.importorskip("botocore.exceptions")

TEXT = "Hello from the sandbox."
SSML = "<speak>Hello <break time='1s'/>there.</speak>"  # billed as "Hello there.": 12 characters


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("polly",)) as running_sandbox:
        yield running_sandbox


def _client(sandbox: Any, key_id: str | None = None) -> Any:
    key = sandbox.default_key("polly")  # a sandbox key is its own id and its own secret
    return boto3.client(
        "polly",
        endpoint_url=sandbox.base_url("polly", "api"),
        region_name="us-east-1",
        aws_access_key_id=key_id or key,
        aws_secret_access_key=key,
    )


def _request_id(metadata: dict[str, Any]) -> str:
    """botocore's RequestId, checked to be the header's value and a UUID as AWS's are."""
    request_id = metadata["RequestId"]
    assert request_id == metadata["HTTPHeaders"]["x-amzn-requestid"]
    return str(uuid.UUID(request_id))


def test_a_synthesis_names_its_request_and_the_characters_billed(sandbox: Any) -> None:
    client = _client(sandbox)
    plain = client.synthesize_speech(Text=TEXT, OutputFormat="mp3", VoiceId="Joanna", Engine="neural")
    tagged = client.synthesize_speech(Text=SSML, TextType="ssml", OutputFormat="ogg_vorbis", VoiceId="Joanna")
    assert (plain["RequestCharacters"], plain["ContentType"]) == (len(TEXT), "audio/mpeg")
    assert (tagged["RequestCharacters"], tagged["ContentType"]) == (len("Hello there."), "audio/ogg")
    assert _request_id(plain["ResponseMetadata"]) != _request_id(tagged["ResponseMetadata"])
    assert plain["AudioStream"].read() and tagged["AudioStream"].read()
    _request_id(client.describe_voices(LanguageCode="en-US")["ResponseMetadata"])


@pytest.mark.parametrize(
    ("key_id", "voice", "engine", "code"),
    [
        ("AKIANOSUCHKEY0000000", "Joanna", "neural", "UnrecognizedClientException"),  # the key, before anything else
        (None, "NoSuchVoice", "neural", "ValidationException"),  # VoiceId is an enum of the service model
        (None, "Danielle", "standard", "EngineNotSupportedException"),  # a listed voice its engine does not speak
    ],
)
def test_an_error_names_its_request_too(sandbox: Any, key_id: str | None, voice: str, engine: str, code: str) -> None:
    with pytest.raises(botocore_exceptions.ClientError) as refused:
        _client(sandbox, key_id).synthesize_speech(Text=TEXT, OutputFormat="mp3", VoiceId=voice, Engine=engine)
    assert refused.value.response["Error"]["Code"] == code
    _request_id(refused.value.response["ResponseMetadata"])


def test_speech_marks_are_a_request_of_their_own_answered_as_json_lines(sandbox: Any) -> None:
    """Issue 65: boto3 asks for word speech marks (OutputFormat json, SpeechMarkTypes) and reads the documented lines:
    time in ms, start and end as byte offsets of the word in the text (the reference's "had" at bytes 5-8)."""
    import json

    text = "Mary had a little lamb"
    answer = _client(sandbox).synthesize_speech(
        Text=text, OutputFormat="json", SpeechMarkTypes=["word"], VoiceId="Joanna"
    )
    assert answer["ContentType"] == "application/x-json-stream"
    marks = [json.loads(line) for line in answer["AudioStream"].read().decode().splitlines()]
    assert [(m["type"], m["value"]) for m in marks] == [("word", word) for word in text.split()]
    assert (marks[1]["start"], marks[1]["end"]) == (5, 8)
    times = [m["time"] for m in marks]
    assert all(isinstance(t, int) for t in times) and times == sorted(times) and 0 < times[-1] < 5000
