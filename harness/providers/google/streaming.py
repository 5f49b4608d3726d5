"""Google Cloud Text-to-Speech's bidirectional streaming synthesis (`google.cloud.texttospeech.v1.TextToSpeech/
StreamingSynthesize`) in the gRPC streaming speech family's terms, as its documents describe it (read 2026-11-25):

- STREAMING_GUIDE: "The API accepts a stream of requests with type StreamingSynthesizeRequest, which contain either
  StreamingSynthesisInput or StreamingSynthesizeConfig. Before sending a stream StreamingSynthesizeRequest with
  StreamingSynthesisInput, which provides text input, send exactly one StreamingSynthesizeRequest with a
  StreamingSynthesizeConfig." "Streaming Text-to-Speech is only compatible with Chirp 3: HD voices."
- REQUEST_REFERENCE: "The first message must contain a streamingConfig that fully specifies the request configuration
  and must not contain input. All subsequent messages must only have input set."
- CONFIG_REFERENCE: voice "Required. The desired voice of the synthesized audio."; streaming_audio_config "Optional.
  The configuration of the synthesized audio."
- AUDIO_CONFIG_REFERENCE: audioEncoding "Required. The format of the audio byte stream. Streaming supports PCM, ALAW,
  MULAW and OGG_OPUS. All other encodings return an error."; sampleRateHertz "Optional. The synthesis sample rate (in
  hertz) for this audio."
- The field numbers, the AudioEncoding values and the response's words are the official client's (source: sdk,
  google-cloud-texttospeech 2.38.0, `texttospeech_v1.types.cloud_tts`): StreamingSynthesizeResponse.audio_content "The
  audio data bytes encoded as specified in the request. This is headerless LINEAR16 audio with a sample rate of
  24000."; PCM "Uncompressed 16-bit signed little-endian samples (Linear PCM). Note that as opposed to LINEAR16, audio
  won't be wrapped in a WAV (or any other) header."

The key travels as the REST API's does, in the `x-goog-api-key` metadata entry (gRPC metadata is HTTP/2 headers);
refusals are the REST API's canonical codes (`declaration.REFUSALS`), answered as gRPC statuses.
"""

from __future__ import annotations

from harness.core.protocols.grpc_speech import ProtoEnum, ProtoField, ProtoMessage, Rpc
from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import DocDrift

STREAMING_GUIDE = "https://docs.cloud.google.com/text-to-speech/docs/create-audio-text-streaming"
REQUEST_REFERENCE = (
    "https://docs.cloud.google.com/text-to-speech/docs/reference/rest/Shared.Types/StreamingSynthesizeRequest"
)
CONFIG_REFERENCE = (
    "https://docs.cloud.google.com/python/docs/reference/texttospeech/latest/"
    "google.cloud.texttospeech_v1.types.StreamingSynthesizeConfig"
)
AUDIO_CONFIG_REFERENCE = (
    "https://developers.google.com/text-to-speech/docs/reference/rest/Shared.Types/StreamingAudioConfig"
)
SDK = "google-cloud-texttospeech 2.38.0 (texttospeech_v1.types.cloud_tts)"  # source: sdk

RATE = 24000  # "headerless LINEAR16 audio with a sample rate of 24000"
RATES = (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000)  # the REST API's; the streaming pages name none

FORMATS = (
    Format(name="PCM", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=RATES),
    Format(
        name="OGG_OPUS",
        spec=AudioSpec("opus", RATE, "ogg"),
        media_type="audio/ogg",
        rates=(8000, 12000, 16000, 24000, 48000),
    ),
    Format(name="MULAW", spec=AudioSpec("pcm_mulaw", 8000, "raw"), media_type="audio/basic", rates=(8000,)),
    Format(name="ALAW", spec=AudioSpec("pcm_alaw", 8000, "raw"), media_type="audio/x-alaw-basic", rates=(8000,)),
)

# The messages the method uses, with the SDK's field numbers; fields the harness never sends or reads
# (custom_pronunciations, advanced_voice_options, markup, ...) are left out: protobuf keeps them as unknown fields.
MESSAGES = (
    ProtoMessage(
        "StreamingSynthesizeRequest",
        (
            ProtoField("streaming_config", 1, "message", "StreamingSynthesizeConfig", oneof="streaming_request"),
            ProtoField("input", 2, "message", "StreamingSynthesisInput", oneof="streaming_request"),
        ),
    ),
    ProtoMessage(
        "StreamingSynthesizeConfig",
        (
            ProtoField("voice", 1, "message", "VoiceSelectionParams"),
            ProtoField("streaming_audio_config", 4, "message", "StreamingAudioConfig"),
        ),
    ),
    ProtoMessage(
        "VoiceSelectionParams",
        (
            ProtoField("language_code", 1, "string"),
            ProtoField("name", 2, "string"),
            ProtoField("model_name", 6, "string"),
        ),
    ),
    ProtoMessage(
        "StreamingAudioConfig",
        (
            ProtoField("audio_encoding", 1, "enum", "AudioEncoding"),
            ProtoField("sample_rate_hertz", 2, "int32"),
            ProtoField("speaking_rate", 3, "double"),
        ),
    ),
    ProtoMessage("StreamingSynthesisInput", (ProtoField("text", 1, "string", oneof="input_source"),)),
    ProtoMessage("StreamingSynthesizeResponse", (ProtoField("audio_content", 1, "bytes"),)),
)
ENUMS = (
    ProtoEnum(
        "AudioEncoding",
        {
            "AUDIO_ENCODING_UNSPECIFIED": 0,
            "LINEAR16": 1,
            "MP3": 2,
            "OGG_OPUS": 3,
            "MULAW": 5,
            "ALAW": 6,
            "PCM": 7,
            "M4A": 8,
        },
    ),
)

STREAMING_SYNTHESIZE = Rpc(
    key="streaming_synthesize",
    package="google.cloud.texttospeech.v1",
    service="TextToSpeech",
    method="StreamingSynthesize",
    doc=STREAMING_GUIDE,
    summary="Bidirectional streaming: a StreamingSynthesizeConfig, then text; audio_content chunks back",
    request="StreamingSynthesizeRequest",
    response="StreamingSynthesizeResponse",
    messages=MESSAGES,
    enums=ENUMS,
    config={
        "streaming_config": {
            "voice": {"language_code": "{language}", "name": "{voice}"},
            "streaming_audio_config": {"audio_encoding": "{format}", "sample_rate_hertz": "{rate}"},
        }
    },
    text={"input": {"text": "{text}"}},
    config_field="streaming_config",
    text_field="input",
    audio_at="audio_content",
    key_metadata="x-goog-api-key",
    address="texttospeech.googleapis.com:443",
    formats=FORMATS,
    models=("chirp3-hd",),
    drift=(
        DocDrift(
            "streaming rates",
            "The streaming pages name no sample rates: the REST API's are declared, and "
            "the sandbox converts to any of them.",
            (AUDIO_CONFIG_REFERENCE,),
        ),
        DocDrift(
            "streaming chunks",
            "How OGG_OPUS, MULAW and ALAW arrive chunked is not said (one Ogg stream or "
            "a file per message; a WAV header or none): the sandbox sends each message's audio as a whole Ogg "
            "file, and mu-law and A-law samples headerless.",
            (AUDIO_CONFIG_REFERENCE, SDK),
        ),
        DocDrift(
            "streaming status codes",
            "The streaming pages document no errors: the sandbox answers the REST "
            "API's refusals (INVALID_ARGUMENT for a bad key, voice, encoding or message order; "
            "UNAUTHENTICATED without a key) as gRPC statuses.",
            (STREAMING_GUIDE, REQUEST_REFERENCE),
        ),
    ),
)

RPCS = (STREAMING_SYNTHESIZE,)
