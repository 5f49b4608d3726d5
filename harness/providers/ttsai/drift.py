"""Where the TTS.ai document contradicts itself, or leaves open what a harness must decide.

Each entry names the contradiction and what the spec does about it (accept both; charge the worst
case). The validator reports these; nothing here changes a check.
"""

from __future__ import annotations

from harness.core.spec import DocDrift
from harness.providers.ttsai.endpoints.speech import TTS_DRIFT
from harness.providers.ttsai.models.sdk import SDK_LIBRARY
from harness.providers.ttsai.models.shared import DOC

_D = (DOC,)

DOC_DRIFT = (
    DocDrift("tts response", TTS_DRIFT, _D),
    DocDrift(
        "anonymous access",
        "the Authentication section lets /v1/tts/ run without a key (5,000 characters/day per IP, free models) "
        "while the overview says auth is a Bearer token; tts.generate is declared auth_required=False",
        _D,
    ),
    DocDrift(
        "results auth",
        "only /v1/tts/ is said to work without a key, yet the full Python example polls /v1/speech/results/ "
        "with no Authorization header; speech.results is declared auth_required=False",
        _D,
    ),
    DocDrift(
        "kokoro tier",
        "kokoro is listed among the free models (piper, vits, melotts, kokoro) in the Authentication section, "
        "but the price table names it a Standard model (2,000 characters per 1,000) and /v1/models says "
        'tier "standard"; prices use the standard rate',
        _D,
    ),
    DocDrift(
        "credit units",
        "the price table counts characters (2,000 and 4,000 per 1,000 characters) while /v1/models gives "
        "credits_per_1k_chars 2 and 4, and credits_used is 3 for a voice-chat turn priced 3,000 and 5 for a "
        "translation priced 5,000 a minute: credits appear to be thousands of characters in some places",
        _D,
    ),
    DocDrift(
        "queued credits_used",
        'the queued example charges credits_used 11 for "Hello from TTS.ai! This is a test." (34 characters) '
        "with kokoro: neither 34 × 2,000/1,000 = 68 characters nor 0.068 thousand",
        _D,
    ),
    DocDrift(
        "text limits",
        '/v1/tts/ allows "max 100,000 chars per request"; the plan table gives Free 500, Starter and Pro '
        "100,000, and Business+ 50,000 (a higher plan with a lower limit); anonymous use is 5,000 a day. "
        "Requests are checked against 100,000; pricing.PLAN_LIMITS keeps the plan figures",
        _D,
    ),
    DocDrift(
        "timestamps",
        "the saved-voice answer gives created_at with a numeric offset (2026-04-17T03:45:00+00:00), the "
        "webhook with Z (2025-01-15T10:30:00Z); both are ISO 8601 and both are accepted",
        _D,
    ),
    DocDrift(
        "streaming models",
        'streaming is said to be for "supported models (Kokoro, MeloTTS)", while /v1/models marks chatterbox '
        "supports_streaming true; /v1/tts/ also has a `stream` flag beside the separate /v1/tts/stream/ "
        "route, and what /v1/tts/ answers with stream=true is not shown",
        _D,
    ),
    DocDrift(
        "free models",
        "the Authentication section's free models are piper, vits, melotts and kokoro; the price table's "
        "free tier is Piper, VITS and MeloTTS",
        _D,
    ),
    DocDrift(
        "voice required",
        "the request table makes `voice` required on /v1/tts/, but the SDK examples call generate() with "
        "text and model only; requests without a voice are refused",
        _D,
    ),
    DocDrift(
        "credits header",
        "the Python example reads an X-Credits-Used response header that no other passage documents; it is "
        "not required of answers",
        _D,
    ),
    DocDrift(
        "webhook vocabulary",
        'the webhook payload says status "success" and event "task.completed" where jobs say '
        '"completed"; it is promised for stem splitting, whose parameter table has no webhook_url '
        "(accepted there anyway)",
        _D,
    ),
    DocDrift(
        "echo removal type",
        '`type` is "echo or reverb (default: both)": the default is not one of the two values listed; '
        '"both" is accepted',
        _D,
    ),
    DocDrift(
        "clone answer",
        'voice cloning "Returns the audio file as binary data, same as the TTS endpoint", while the TTS '
        "endpoint is also said to return a queued job",
        _D,
    ),
    DocDrift(
        "unpriced services",
        "speech to speech, echo/reverb removal, voice embedding and saved-voice uploads have no price; "
        'stem splitting costs "3,000-4,000" a minute without saying when (4,000 is charged); whether audio '
        "is billed per started minute is not said (the translation example implies it)",
        _D,
    ),
    DocDrift(
        "openai compatibility",
        'the document advertises an "OpenAI-compatible format" but documents no OpenAI-style route; '
        "POST /v1/audio/speech with OpenAI's body is inferred",
        _D,
    ),
    # Where the official client library (`models.sdk.SDK_LIBRARY`) and the document disagree: both are in
    # the spec (`endpoints.sdk`), the library's marked `source: sdk`.
    DocDrift(
        "client: openai route host",
        "the document implies the OpenAI route on the API host (/v1/audio/speech, inferred); the official "
        "client calls it on the web host (https://tts.ai/v1/audio/speech): both declared",
        (*_D, SDK_LIBRARY),
    ),
    DocDrift(
        "client: saved-voice tts body",
        "POST /api/v1/tts/ requires user_voice_id in the document; the official client's generate_async sends "
        "model, voice, text and format there: both accepted, the client's form reported as drift",
        (*_D, SDK_LIBRARY),
    ),
    DocDrift(
        "client: result audio",
        "the document's results give result_url (/static/downloads/{id}/output.{ext}); the client reads cdn_url "
        "or url and otherwise fetches /static/downloads/{uuid}/tts_output.wav: both served",
        (*_D, SDK_LIBRARY),
    ),
    DocDrift(
        "client: catalogue names",
        "the document's /v1/models/ and /v1/voices/ (API host) name id, model and credits_per_1k_chars; the "
        "client reads /api/v1/models/ and /api/v1/voices/ (web host) as name, voice_id, model_name and "
        "credits_per_1k: both declared",
        (*_D, SDK_LIBRARY),
    ),
)
