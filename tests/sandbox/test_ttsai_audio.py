"""TTS.ai's audio-in endpoints on the sandbox: real transcripts (Whisper tiny.en, or the configured
transcriber hook), the voice changer and friends re-speaking them, the audio tools' table answers,
voice chat and voice embedding; the document's curl examples where it gives them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import numpy as np
import pytest

from harness.core.spec import Upload
from harness.providers.ttsai.emulation.responses import asr as emulation_asr
from harness.sandbox import Sandbox, running
from harness.scoring import MissingDependencyError
from harness.speech import AudioFormat, decode, encode, sniff
from tests.helpers.sandbox_http import assert_valid, run_curl, send, voices

KEY = "ttsai-audio-key"
REFERENCE_TEXT = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "voices" / "manifest.json").read_text()
)["clips"][0]["text"]
STT_CURL = """curl -X POST https://api.tts.ai/v1/stt/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-F "file=@recording.mp3" \\
-F "model=faster-whisper" \\
-F "timestamps=true\""""
CONVERT_CURL = """curl -X POST https://api.tts.ai/v1/voice-convert/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-F "file=@source_audio.mp3" \\
-F "target_voice=af_bella" \\
-F "model=openvoice\""""
ENHANCE_CURL = """curl -X POST https://api.tts.ai/v1/audio/enhance/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-F "file=@noisy_audio.mp3" \\
-F "denoise=true" \\
-F "enhance_clarity=true\""""


@pytest.fixture(scope="module")
def key(sandbox: Sandbox) -> str:
    sandbox.add_key("ttsai", KEY, tier="business")
    return KEY


def _replace(sb: Sandbox) -> dict[str, str]:
    return {"https://api.tts.ai": sb.base_url("ttsai", "api"), "sk-tts-your-key": KEY}


def _upload(name: str = "joe_short.wav") -> Upload:
    return Upload(filename=name, content=(voices / name).read_bytes(), content_type="audio/wav")


def _fetch(client: httpx.Client, url: str) -> bytes:
    """Audio behind a URL the emulation handed out (a `data:` URL until the engine serves such files)."""
    if url.startswith("data:"):
        return base64.b64decode(url.split(",", 1)[1])
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content


def _as_mp3(path: Path, target: Path, noise: float = 0.0) -> Path:
    clip = decode(path.read_bytes())
    samples = clip.samples + noise * np.random.default_rng(0).standard_normal(len(clip.samples)).astype(np.float32)
    target.write_bytes(encode(type(clip)(samples, clip.sample_rate), "mp3"))
    return target


def test_stt_document_example_is_a_real_transcript(
    sandbox: Sandbox, client: httpx.Client, key: str, tmp_path: Path
) -> None:
    recording = _as_mp3(voices / "joe_reference.wav", tmp_path / "recording.mp3")
    answer = run_curl(client, STT_CURL, _replace(sandbox), files={"recording.mp3": recording})
    assert_valid("ttsai", "stt.transcribe", answer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    words = set(body["text"].lower().replace(",", "").replace(".", "").split())
    assert {"good", "morning", "reference", "voice", "cloning", "tests"} <= words, body["text"]
    assert body["language"] == "en" and abs(body["duration"] - 8.2) < 0.2
    assert body["segments"] and body["segments"][0]["start"] >= 0.0
    assert body["segments"][-1]["end"] <= body["duration"] + 1e-6
    assert " ".join(s["text"] for s in body["segments"]) == body["text"]


def test_stt_uses_the_configured_transcriber(client: httpx.Client) -> None:
    with running(profile="fast", providers=("ttsai",), transcriber=lambda audio: "Hooked. Transcript.") as sb:
        answer = send(
            sb, client, "ttsai", "stt.transcribe", {"file": _upload(), "diarize": "true"}, key=sb.default_key("ttsai")
        )
    assert_valid("ttsai", "stt.transcribe", answer)
    assert answer.json()["text"] == "Hooked. Transcript."
    assert [s["text"] for s in answer.json()["segments"]] == ["Hooked.", "Transcript."]
    assert {s["speaker"] for s in answer.json()["segments"]} == {"SPEAKER_00"}


def test_stt_without_any_asr_is_model_loading(
    sandbox: Sandbox, client: httpx.Client, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(audio: bytes) -> str:
        raise MissingDependencyError("faster_whisper", "score")

    monkeypatch.setattr(emulation_asr, "_DEFAULT", missing)
    answer = send(sandbox, client, "ttsai", "stt.transcribe", {"file": _upload()}, key=key)
    assert_valid("ttsai", "stt.transcribe", answer)
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "model_loading"


def test_voice_changer_document_example(sandbox: Sandbox, client: httpx.Client, key: str, tmp_path: Path) -> None:
    source = _as_mp3(voices / "joe_short.wav", tmp_path / "source_audio.mp3")
    answer = run_curl(client, CONVERT_CURL, _replace(sandbox), files={"source_audio.mp3": source})
    assert_valid("ttsai", "voice.convert", answer)
    assert answer.status_code == 200 and sniff(answer.content) is AudioFormat.WAV  # the documented default
    converted = decode(answer.content)
    assert converted.sample_rate == 24000 and converted.duration_s > 1.0


def test_translation_and_speech_to_speech(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    translated = send(
        sandbox, client, "ttsai", "speech.translate", {"file": _upload(), "target_language": "es"}, key=key
    )
    assert_valid("ttsai", "speech.translate", translated)
    body = translated.json()
    assert "short" in body["original_text"].lower() and body["target_language"] == "es"
    assert body["credits_used"] == 5  # one started minute at 5,000 characters, in thousands as the example
    assert decode(_fetch(client, body["audio_url"])).duration_s > 0.5
    restyled = send(
        sandbox,
        client,
        "ttsai",
        "speech.sts",
        {"file": _upload(), "voice": "am_adam", "emotion": "sad", "speed": "1.0"},
        key=key,
    )
    assert_valid("ttsai", "speech.sts", restyled)
    assert restyled.status_code == 200 and decode(restyled.content).duration_s > 1.0
    unknown = send(sandbox, client, "ttsai", "speech.sts", {"file": _upload(), "voice": "nobody"}, key=key)
    assert_valid("ttsai", "speech.sts", unknown)
    assert unknown.status_code == 404


def test_enhance_document_example_answers_the_upload(
    sandbox: Sandbox, client: httpx.Client, key: str, tmp_path: Path
) -> None:
    noisy = _as_mp3(voices / "joe_short.wav", tmp_path / "noisy_audio.mp3", noise=0.02)
    answer = run_curl(client, ENHANCE_CURL, _replace(sandbox), files={"noisy_audio.mp3": noisy})
    assert_valid("ttsai", "audio.enhance", answer)
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"
    assert answer.content == noisy.read_bytes()  # a table answer: nothing measured reads an enhanced file


def test_separation_names_the_stems_and_keeps_the_voice(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = send(
        sandbox, client, "ttsai", "audio.separate", {"file": _upload(), "stems": "4", "format": "wav"}, key=key
    )
    assert_valid("ttsai", "audio.separate", answer)
    stems = {name: decode(_fetch(client, url)).samples for name, url in answer.json()["stems"].items()}
    assert set(stems) == {"vocals", "drums", "bass", "other"}
    original = decode(_upload().content).samples
    assert np.max(np.abs(stems["vocals"] - original)) < 0.01
    assert all(len(stem) == len(original) and not stem.any() for name, stem in stems.items() if name != "vocals")


def test_echo_removal_and_conversion(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    room = _upload()
    dry = send(sandbox, client, "ttsai", "audio.remove-echo", {"file": room, "type": "echo", "intensity": "5"}, key=key)
    assert_valid("ttsai", "audio.remove-echo", dry)
    assert dry.content == room.content and dry.headers["content-type"] == "audio/wav"
    converted = send(
        sandbox,
        client,
        "ttsai",
        "audio.convert",
        {"file": room, "format": "mp3", "bitrate": "128", "sample_rate": "44100", "channels": "stereo"},
        key=key,
    )
    assert_valid("ttsai", "audio.convert", converted)
    assert sniff(converted.content) is AudioFormat.MP3
    clip, original = decode(converted.content), decode(room.content)
    assert clip.sample_rate == 44100 and abs(clip.duration_s - original.duration_s) < 0.1
    refused = send(sandbox, client, "ttsai", "audio.convert", {"file": room, "format": "aac"}, key=key)
    assert_valid("ttsai", "audio.convert", refused)
    assert refused.status_code == 400
    unreadable = send(
        sandbox,
        client,
        "ttsai",
        "audio.remove-echo",
        {"file": Upload(filename="room.wav", content=b"not audio", content_type="audio/wav")},
        key=key,
    )
    assert_valid("ttsai", "audio.remove-echo", unreadable)
    assert unreadable.status_code == 400


def test_key_and_bpm_answers_the_documents_example(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = send(sandbox, client, "ttsai", "audio.analyze", {"file": _upload()}, key=key)
    assert_valid("ttsai", "audio.analyze", answer)
    assert answer.json() == {
        "key": "C",
        "scale": "Major",
        "bpm": 120.0,
        "time_signature": "4/4",
        "camelot": "8B",
        "compatible_keys": ["C Major", "G Major", "F Major", "A Minor"],
    }


def test_voice_chat_and_embedding(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    chat = send(sandbox, client, "ttsai", "voice-chat", {"text": "What is the capital of France?"}, key=key)
    assert_valid("ttsai", "voice-chat", chat)
    body = chat.json()
    assert body["ai_text"] == "The capital of France is Paris." and body["credits_used"] == 3
    assert decode(_fetch(client, body["audio_url"])).duration_s > 1.0
    follow = send(
        sandbox, client, "ttsai", "voice-chat", {"text": "Thanks!", "conversation_id": body["conversation_id"]}, key=key
    )
    assert_valid("ttsai", "voice-chat", follow)
    assert follow.json()["conversation_id"] == body["conversation_id"]
    lost = send(sandbox, client, "ttsai", "voice-chat", {"text": "Hi", "conversation_id": "conv_nope"}, key=key)
    assert_valid("ttsai", "voice-chat", lost)
    assert lost.status_code == 404
    embedded = send(sandbox, client, "ttsai", "voice.embed", {"file": _upload("joe_reference.wav")}, key=key)
    assert_valid("ttsai", "voice.embed", embedded)
    assert embedded.json()["embed_id"].startswith("emb_") and embedded.json()["model"] == "chatterbox"
