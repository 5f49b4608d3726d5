"""Sarvam AI's wire payloads for `POST /text-to-speech`, as its API reference writes them (the reference's text is
carried verbatim by the official client `sarvamai` 0.1.39, generated from it: `TextToSpeechClient.convert`).

    POST https://api.sarvam.ai/text-to-speech      api-subscription-key: KEY
        {"text", "language_code" (older pages: "target_language_code"), "speaker", "model", "pitch", "pace",
         "loudness", "speech_sample_rate", "enable_preprocessing", "output_audio_codec", "temperature", "dict_id",
         "enable_cached_responses"}
        200 {"request_id", "audios": ["<base64>"]}
    errors: {"error": {"message", "code"}}, 400/413/422 invalid_request_error, 403 invalid_api_key_error, 429
    insufficient_quota_error or rate_limit_exceeded_error, 500 internal_server_error
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from harness.core.spec import RequestModel, ResponseModel

# "Text to Speech" (REST): the request fields and limits below.
REFERENCE = "https://docs.sarvam.ai/api-reference-docs/text-to-speech/convert"
PREPROCESSING_GUIDE = (
    "https://docs.sarvam.ai/api-reference-docs/api-guides-tutorials/text-to-speech/how-to/enable-text-preprocessing"
)
# "How to Set the Language": the eleven codes; "The target_language_code parameter is required for every TTS
# request" (the newer copy of the page says language_code).
LANGUAGE_GUIDE = "https://docs.sarvam.ai/api-reference-docs/api-guides-tutorials/text-to-speech/how-to/set-the-language"
# "Errors & Troubleshooting": the error shape {"error": {"message", "code"}} and its codes and statuses ("Auth
# failures use HTTP 403, not 401").
ERRORS_REFERENCE = "https://docs.sarvam.ai/api/errors-troubleshooting"
# Pricing: "Bulbul v3 (Speech Synthesis) ₹30 per 10K characters" (a transcription of the page, read 2026-09-20).
# The page prices in rupees and states no USD basis: no USD price is declared.
PRICING = "https://docs.sarvam.ai/api/getting-started/pricing"

# text: "bulbul:v3: Max 2500 characters; bulbul:v4-flash: Max 2500 characters; bulbul:v2: Max 1500 characters".
MAX_TEXT_CHARS = 2500

Language = Literal["bn-IN", "en-IN", "gu-IN", "hi-IN", "kn-IN", "ml-IN", "mr-IN", "od-IN", "pa-IN", "ta-IN", "te-IN"]
# The reference's models, and bulbul:v3-beta, a known model its clients send (declaration.KNOWN_MODELS, source client).
ModelName = Literal["bulbul:v2", "bulbul:v3", "bulbul:v4-flash", "bulbul:v3-beta"]
# "Supported values are 8000, 16000, 22050, 24000, 32000, 44100, 48000 Hz" (the higher three: v3 and v4-flash).
SampleRate = Literal[8000, 16000, 22050, 24000, 32000, 44100, 48000]
Codec = Literal["mp3", "linear16", "mulaw", "alaw", "opus", "flac", "aac", "wav"]


# The streamed synthesis: "Converts the input text into a streamed spoken audio response ... The response is returned
# as a binary audio stream" (source: sdk, sarvamai 0.1.39 TextToSpeechClient.convert_stream, POST
# /text-to-speech/stream: "Returns a streamed audio response in the requested format (e.g., audio/mpeg for MP3,
# audio/wav for WAV)"). Its body is the convert request's, with output_audio_bitrate.
STREAM_SDK = "https://pypi.org/project/sarvamai/0.1.39/ (sarvamai/text_to_speech/raw_client.py, convert_stream)"


class TextToSpeechRequest(RequestModel):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The text(s) to be converted into "
        "speech (bulbul:v3 and v4-flash: max 2500 characters; bulbul:v2: max 1500).",
    )
    language_code: Language | None = Field(None, description="The language code in BCP-47 format.")
    target_language_code: Language | None = Field(None, description="The older pages' name for language_code.")
    speaker: str | None = Field(
        None,
        min_length=1,
        description="The speaker voice (lowercase; it must match the "
        "model: shubh for bulbul:v3, anushka for bulbul:v2 by default).",
    )
    pitch: float | None = Field(None, ge=-0.75, le=0.75, description="bulbul:v2 only; -0.75 to 0.75.")
    pace: float | None = Field(None, ge=0.3, le=3.0, description="v3/v4-flash 0.5 to 2.0; v2 0.3 to 3.0.")
    loudness: float | None = Field(None, ge=0.3, le=3.0, description="bulbul:v2 only; 0.3 to 3.0.")
    speech_sample_rate: SampleRate | None = None  # "Default: 22050 Hz"
    enable_preprocessing: bool | None = None
    model: ModelName | None = None  # "bulbul:v3: Stable model (API default when model is omitted)"
    output_audio_codec: Codec | None = None
    temperature: float | None = Field(None, ge=0.01, le=1.0, description="0.01 to 1.0, default 0.6 (v3, v4-flash).")
    dict_id: str | None = None
    enable_cached_responses: bool | None = None

    @model_validator(mode="after")
    def _one_language(self) -> TextToSpeechRequest:
        if self.language_code is None and self.target_language_code is None:
            raise ValueError('language_code is required ("It is a required parameter")')
        return self


class StreamRequest(TextToSpeechRequest):
    output_audio_bitrate: str | None = None  # source: sdk (SpeechStreamBitrate)


class TextToSpeechResponse(ResponseModel):
    request_id: str | None = None
    audios: list[str] = Field(min_length=1)  # "The output audio files in WAV format, encoded as base64 strings."


class ErrorDetail(ResponseModel):
    message: str
    code: str
    request_id: str | None = None


class ErrorBody(ResponseModel):
    """ "Most REST errors return JSON: {"error": {"message": "Human-readable description", "code": ...}}"."""

    error: ErrorDetail


# --- the text-to-speech WebSocket (`sockets`), every reference text read 2026-11-25 ---------------------------------
# The API reference's socket page: "WSS wss://api.sarvam.ai/text-to-speech/ws"; "Headers Api-Subscription-Key string
# Required"; query "model enum Optional Defaults to bulbul:v2", "send_completion_event enum Optional Defaults to true
# ... When set to true, an event message will be sent when the final audio chunk has been generated". Send: "Configure
# Connection ... Send initial configuration for text-to-speech streaming", "Send Text ... Send text chunk for speech
# synthesis", "Flush Signal ... Send signal to end text streaming.", "Ping Signal ... Send ping signal to keep the TTS
# WebSocket connection alive." Receive: "Audio Output ... Receive audio chunks from the TTS WebSocket.", "Event
# Notification ... Receive completion event notifications from the TTS WebSocket (if send_completion_event is
# enabled)", "Error Response ... Receive error messages from the TTS WebSocket".
SOCKET_REFERENCE = "https://docs.sarvam.ai/api-reference-docs/text-to-speech/stream"
# The guide: "Always send the config message first"; the config "Sets up voice parameters and must be the first message
# sent after connection"; "Use flush messages strategically to ensure complete text processing".
SOCKET_GUIDE = "https://docs.sarvam.ai/api-reference-docs/api-guides-tutorials/text-to-speech/streaming-api/web-socket"
# "If not specified, the audio is streamed in base64-encoded MPEG format by default"; "linear16 Uncompressed PCM audio –
# large size, accurate"; "mp3 MPEG Layer-3 – widely supported, good compression".
SOCKET_CODECS = (
    "https://docs.sarvam.ai/api-reference-docs/api-guides-tutorials/text-to-speech/how-to/set-audio-format-for-output"
)
# The messages' fields and words (source: sdk): sarvamai 0.1.39, text_to_speech_streaming/socket_client.py and the
# types ConfigureConnection(Data), SendText(Data), FlushSignal, PingSignal, AudioOutput(Data), EventResponse(Data),
# ErrorResponse(Data), generated from Sarvam's API definition.
SOCKET_SDK = (
    "https://pypi.org/project/sarvamai/0.1.39/ (sarvamai/text_to_speech_streaming/socket_client.py, "
    "sarvamai/types/configure_connection_data.py)"
)

Bitrate = Literal["32k", "64k", "96k", "128k", "192k"]  # "Audio bitrate (choose from 5 supported bitrate options)"


class SocketConfigData(RequestModel):
    language_code: Language | None = Field(None, description="The language of the text in BCP-47 format.")
    target_language_code: Language | None = Field(None, description="The guide's and Pipecat's name for it.")
    speaker: str = Field(min_length=1, description="The speaker voice; must match the model; lowercase.")
    model: ModelName | None = None  # also in the URL's query
    pitch: float | None = Field(None, ge=-0.75, le=0.75, description="bulbul:v2 only; -0.75 to 0.75.")
    pace: float | None = Field(None, ge=0.3, le=3.0, description="v2: 0.3 to 3.0; v3 and v4-flash: 0.5 to 2.0.")
    loudness: float | None = Field(None, ge=0.3, le=3.0, description="bulbul:v2 only; 0.3 to 3.0.")
    temperature: float | None = Field(None, ge=0.01, le=1.0, description="v3 and v4-flash; 0.01 to 1.0.")
    # "Supported values are 8000, 16000, 22050, 24000 Hz" (typed int: the sandbox checks the value per format).
    speech_sample_rate: int | None = None
    enable_preprocessing: bool | None = None
    output_audio_codec: Codec | None = None
    output_audio_bitrate: Bitrate | None = None
    dict_id: str | None = None
    min_buffer_size: int | None = None  # "Minimum character length that triggers buffer flushing"
    max_chunk_length: int | None = None  # "Maximum length for sentence splitting"

    @model_validator(mode="after")
    def _one_language(self) -> SocketConfigData:
        if self.language_code is None and self.target_language_code is None:
            raise ValueError('language_code is required ("The language of the text in BCP-47 format")')
        return self


class SocketConfig(RequestModel):
    """ "Configuration message required as the first message after establishing the WebSocket connection"."""

    type: Literal["config"]
    data: SocketConfigData


class SocketTextData(RequestModel):
    # "Text length should be 1-2500 characters. Recommended: <500 characters for optimal streaming performance."
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class SocketText(RequestModel):
    type: Literal["text"]
    data: SocketTextData


class SocketFlush(RequestModel):
    """ "Forces the text buffer to process immediately, regardless of the min_buffer_size threshold"."""

    type: Literal["flush"]


class SocketPing(RequestModel):
    """ "Send ping signal to keep the WebSocket connection alive. The connection automatically closes after one minute
    of inactivity." (the official client's PingSignal, source: sdk)"""

    type: Literal["ping"]


class SocketAudioData(ResponseModel):
    content_type: str  # "MIME type of the audio content (e.g., 'audio/mp3', 'audio/wav')"
    audio: str  # "Base64-encoded audio data ready for playback or download"
    request_id: str | None = None


class SocketAudio(ResponseModel):
    type: Literal["audio"]
    data: SocketAudioData


class SocketEventData(ResponseModel):
    event_type: Literal["final"]  # "Type of event that occurred"
    message: str | None = None
    timestamp: str | None = None  # "ISO 8601 timestamp when the event occurred"


class SocketEvent(ResponseModel):
    """ "Event notification message sent when specific events occur during TTS processing"."""

    type: Literal["event"]
    data: SocketEventData


class SocketErrorData(ResponseModel):
    message: str
    code: int | None = None  # "Optional error code for programmatic error handling"
    details: dict[str, object] | None = None
    request_id: str | None = None


class SocketError(ResponseModel):
    type: Literal["error"]
    data: SocketErrorData


# --- the speakers (`declaration.VOICE_LIST`) --------------------------------------------------------------------------
# Sarvam AI's speakers, per Bulbul model, as its references name them (every text read 2026-11-25).
#
# - bulbul:v2 (the API reference's speaker field): "bulbul:v2: Female: anushka, manisha, vidya, arya; Male: abhilash,
#   karun, hitesh".
# - bulbul:v3 (the Bulbul model page, `V3_PAGE`): "Bulbul v3 offers 30+ speaker voices: **Speakers:** Shubh
#   (default), Aditya, Ritu, Priya, Neha, Rahul, Pooja, Rohan, Simran, Kavya, Amit, Dev, Ishita, Shreya, Ratan, Varun,
#   Manan, Sumit, Roopa, Kabir, Aayan, Ashutosh, Advait, Anand, Tanya, Tarun, Sunny, Mani, Gokul, Vijay, Shruti, Suhani,
#   Mohit, Kavitha, Rehan, Soham, Rupali"; and two more that Pipecat's integration lists among its v3 speakers (source:
#   client, `V3_CLIENT`), which no stored page names.
# - bulbul:v4-flash: "200+ persona voices named <name>_<language>_<style> (e.g. shubh_hi_devotional,
#   simran_en_customer)" (the API reference); the names themselves are the official client's `TextToSpeechSpeaker`,
#   "auto-generated by Fern from our API Definition" (source: sdk, `PERSONA_SDK`). Pipecat's and LiveKit's default
#   speaker for bulbul:v4-flash, shubh_en_narration_gentle, is one of them.

V3_PAGE = "https://docs.sarvam.ai/api-reference-docs/getting-started/models/bulbul.md (Available Speakers)"
V3_CLIENT = "pipecat-ai==1.14.0 (pipecat/services/sarvam/tts.py: SarvamTTSSpeakerV3 AMELIA, SOPHIA)"
PERSONA_SDK = "sarvamai==0.1.39 (sarvamai/types/text_to_speech_speaker.py: TextToSpeechSpeaker)"

V2_FEMALE = ("anushka", "manisha", "vidya", "arya")
V2_MALE = ("abhilash", "karun", "hitesh")
V3_SPEAKERS = (
    "shubh",
    "aditya",
    "ritu",
    "priya",
    "neha",
    "rahul",
    "pooja",
    "rohan",
    "simran",
    "kavya",
    "amit",
    "dev",
    "ishita",
    "shreya",
    "ratan",
    "varun",
    "manan",
    "sumit",
    "roopa",
    "kabir",
    "aayan",
    "ashutosh",
    "advait",
    "anand",
    "tanya",
    "tarun",
    "sunny",
    "mani",
    "gokul",
    "vijay",
    "shruti",
    "suhani",
    "mohit",
    "kavitha",
    "rehan",
    "soham",
    "rupali",
)
V3_CLIENT_SPEAKERS = ("amelia", "sophia")  # source: client (V3_CLIENT)
PERSONA_SPEAKERS = (  # bulbul:v4-flash, source: sdk (PERSONA_SDK)
    "arnab_bn_conversation",
    "roopa_bn_conversational",
    "bimal_bn_suspense",
    "aditi_en_stories",
    "aparna_en_companion",
    "aparna_en_edtech",
    "ashwin_en_sports",
    "ashwin_en_sports_energetic",
    "chandrika_en_stories",
    "dev_en_recovery",
    "dev_en_conversational",
    "deven_en_conversation",
    "ishita_en_customer",
    "ishita_en_medical",
    "ishita_en_numbers",
    "ishita_en_social",
    "ishita_en_stories",
    "kalpit_en_edtech",
    "nachiket_en_ads",
    "neha_en_customer",
    "neha_en_latenight",
    "nupur_en_kids",
    "ojas_en_social",
    "ritu_en_edtech",
    "ritu_en_latenight",
    "ritu_en_medical",
    "ritu_en_reels",
    "rohan_en_recovery",
    "roopa_en_conversational",
    "rustom_en_suspense",
    "sanchita_en_companion",
    "sanchita_en_insurance",
    "sanchita_en_recovery",
    "sanchita_en_market",
    "sanchita_en_social",
    "shabana_en_edtech",
    "shalini_en_companion",
    "shalini_en_customer",
    "shubh_en_narration",
    "shubh_en_numbers",
    "shubh_en_ads",
    "shubh_en_recovery",
    "shubh_en_audiobook",
    "shubh_en_narration_gentle",
    "shubh_en_sports",
    "simran_en_narration",
    "simran_en_automobile",
    "simran_en_conversation",
    "simran_en_customer",
    "simran_en_edtech",
    "simran_en_edtech_bot",
    "simran_en_sales",
    "simran_en_recovery",
    "simran_en_ads",
    "simran_en_therapist",
    "sunny_en_social",
    "varun_en_ads",
    "varun_en_suspense",
    "zarina_en_conversation",
    "amelia_en_conversational",
    "sophia_en_conversational",
    "girish_en_documentary",
    "girish_en_devotional",
    "payal_en_edtech",
    "sarang_en_narration",
    "ishita_enhi_companion",
    "ishita_enhi_customer",
    "ishita_enhi_customer_expressive",
    "sanchita_enhi_companion",
    "shalini_enhi_companion",
    "shalini_enhi_customer",
    "shubh_enhi_companion",
    "shubh_enhi_ads",
    "shubh_enhi_banking",
    "simran_enhi_companion",
    "simran_enhi_customer",
    "simran_enhi_banking_expressive",
    "sunny_enhi_customer",
    "bhavik_gu_conversation",
    "pooja_gu_conversational",
    "pooja_gu_customer",
    "aayan_hi_conversational",
    "amit_hi_conversational",
    "ashutosh_hi_conversational",
    "kabir_hi_conversational",
    "kavya_hi_conversational",
    "manan_hi_conversational",
    "rahul_hi_conversational",
    "sumit_hi_conversational",
    "aditya_hi_conversational",
    "aditya_hi_sales",
    "anand_hi_documentary",
    "anand_hi_news",
    "aparna_hi_customer",
    "aparna_hi_kyc",
    "ashok_hi_character",
    "ashok_hi_news",
    "chhavi_hi_kids",
    "ishita_hi_ads",
    "ishita_hi_edtech",
    "ishita_hi_banking",
    "ishita_hi_ads_informal",
    "ishita_hi_devotional",
    "ishita_hi_numbers",
    "ishita_hi_social",
    "kunal_hi_kids",
    "mahesh_hi_documentary",
    "mani_hi_devotional",
    "mani_hi_conversational",
    "mohit_hi_conversational",
    "nachiket_hi_devotional",
    "priya_hi_recovery",
    "ratan_hi_latenight",
    "ratan_hi_customer_expressive",
    "ratan_hi_documentary",
    "ratan_hi_devotional",
    "ratan_hi_recovery",
    "ratan_hi_social",
    "ratan_hi_sports",
    "ratan_hi_latenight_warm",
    "rehan_hi_social",
    "ritu_hi_customer_utility",
    "ritu_hi_kids",
    "ritu_hi_conversation",
    "ritu_hi_customer",
    "ritu_hi_edtech",
    "ritu_hi_ads_formal",
    "ritu_hi_banking",
    "ritu_hi_ads_informal",
    "ritu_hi_insurance",
    "ritu_hi_edtech_bot",
    "ritu_hi_medical",
    "ritu_hi_sales",
    "ritu_hi_reels",
    "ritu_hi_social",
    "ritu_hi_customer_warm",
    "ritu_hi_social_lively",
    "roopa_hi_companion",
    "roopa_hi_narration",
    "roopa_hi_recovery",
    "roopa_hi_market",
    "roopa_hi_conversational",
    "sanchita_hi_assistant",
    "sanchita_hi_edtech",
    "sanchita_hi_banking",
    "sanchita_hi_feedback",
    "sanchita_hi_ads_formal",
    "sanchita_hi_ads_informal",
    "sanchita_hi_interview",
    "sanchita_hi_romantic",
    "sanchita_hi_market",
    "sanchita_hi_social",
    "sanchita_hi_kyc",
    "sarika_hi_conversation",
    "shalini_hi_companion",
    "shalini_hi_social",
    "shreya_hi_conversational",
    "shreya_hi_news",
    "shruti_hi_edtech",
    "shubh_hi_customer",
    "shubh_hi_ecomm",
    "shubh_hi_stories_mixed",
    "shubh_hi_devotional",
    "shubh_hi_ads",
    "shubh_hi_recovery",
    "shubh_hi_stories_dramatic",
    "simran_hi_assistant",
    "simran_hi_narration",
    "simran_hi_automobile",
    "simran_hi_conversation",
    "simran_hi_news_breaking",
    "simran_hi_social_energetic",
    "simran_hi_social_excited",
    "simran_hi_latenight",
    "simran_hi_news",
    "simran_hi_recovery",
    "simran_hi_sales",
    "suchitra_hi_ecomm",
    "suhani_hi_social",
    "sunny_hi_ads",
    "sunny_hi_reels",
    "tarun_hi_conversational",
    "tarun_hi_sales",
    "chaitra_hi_customer",
    "shilpa_hi_narration",
    "tanya_hi_narration",
    "aarti_hi_customer",
    "advait_hi_character",
    "aryaman_hi_ads",
    "chirag_hi_social",
    "girish_hi_devotional",
    "mukul_hi_ads",
    "mukul_hi_suspense",
    "suman_hi_companion",
    "vaibhav_hi_social",
    "vandana_hi_ecomm",
    "vipul_hi_social",
    "chaitra_kn_conversation",
    "chaitra_kn_narration",
    "chetan_kn_conversation",
    "suchitra_kn_narration",
    "ishita_mr_conversational",
    "mrunal_mr_narration",
    "neha_mr_narration",
    "nilesh_mr_conversation",
    "ritu_mr_insurance",
    "ritu_mr_narration",
    "rupali_mr_stories",
    "soham_mr_narration",
    "mukul_mr_stories",
    "anand_pa_conversation",
    "anand_pa_customer",
    "harpreet_pa_narration",
    "jaspal_pa_banking",
    "gokul_ta_narration",
    "aravind_ta_ads",
    "aravind_ta_suspense",
    "vijay_ta_narration",
    "kavitha_te_conversation",
    "kavitha_te_narration",
    "pooja_te_conversation",
    "tarun_te_narration",
)


def persona_language(name: str) -> str:
    """The BCP-47 code a persona voice's name carries (<name>_<language>_<style>; "enhi": Hinglish, read as en-IN)."""
    code = name.split("_")[1]
    return "en-IN" if code in ("en", "enhi") else f"{code}-IN"
