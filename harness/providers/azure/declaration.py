"""Azure AI Speech text to speech (REST) as its documents describe it, in the HTTP speech family's terms:
an SSML body, the format in `X-Microsoft-OutputFormat` (every documented value), the audio as the body,
errors with no body, a key in `Ocp-Apim-Subscription-Key` or a token from issueToken, a region in the host.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Listing,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    TokenExchange,
    Voice,
)
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, PlainTextBody, Response, Role
from harness.core.ssml import MARKUP_TEXT, SSML_BODY
from harness.providers.azure.models import (
    OUTPUT_FORMATS,
    PRICING,
    REFERENCE,
    SSML_REFERENCE,
    ErrorBody,
    SynthesizeRequest,
    VoiceList,
)
from harness.providers.azure.sockets import SOCKETS, VOICELIVE_CANCEL

SPEECH, TOKENS = "tts", "sts"
TOKEN_LIFETIME_S = 600  # "The access token should be sent to the service as the Authorization: Bearer <TOKEN>
#                          header. Each access token is valid for 10 minutes."
_SHAPE = re.compile(r"^(?P<kind>[a-z0-9]+)-(?P<rate>\d+)(?P<unit>khz|hz)-")


def _spec(name: str) -> tuple[AudioSpec, str]:
    """What a documented format name stands for, read from the name itself (`riff-24khz-16bit-mono-pcm`), and
    the Content-Type it is answered with. Names the reference writes without a rate (amr-wb-16000hz, g722-...)
    are read the same way."""
    found = _SHAPE.match(name) or re.match(r"^(?P<kind>[a-z0-9-]+?)-(?P<rate>\d+)(?P<unit>khz|hz)", name)
    assert found is not None, name
    rate = int(found["rate"]) * (1000 if found["unit"] == "khz" else 1)
    kind = found["kind"]
    if kind == "riff":
        codec = "pcm_mulaw" if name.endswith("mulaw") else "pcm_alaw" if name.endswith("alaw") else "pcm_s16le"
        return AudioSpec(codec, rate, "wav"), "audio/x-wav"
    if kind == "raw":
        if name.endswith("truesilk"):
            return AudioSpec("silk", rate, "raw"), "audio/SILK"
        codec = {"mulaw": "pcm_mulaw", "alaw": "pcm_alaw"}.get(name.rsplit("-", 1)[-1], "pcm_s16le")
        media = {"pcm_mulaw": "audio/basic", "pcm_alaw": "audio/pcma"}.get(codec, f"audio/pcm;rate={rate}")
        return AudioSpec(codec, rate, "raw"), media
    if name.endswith("mp3"):
        return AudioSpec("mp3", rate, "mp3"), "audio/mpeg"
    if kind == "ogg":
        return AudioSpec("opus", rate, "ogg"), "audio/ogg"
    if kind == "webm":
        return AudioSpec("opus", rate, "webm"), "audio/webm"
    if kind == "audio" and name.endswith("opus"):
        return AudioSpec("opus", rate, "raw"), "audio/opus"  # Opus packets without a container
    if kind.startswith("amr"):
        return AudioSpec("amr_wb", rate, "amr"), "audio/amr-wb"
    return AudioSpec("g722", rate, "raw"), "audio/G722"


# The format the benchmark scores comes first among the WAV ones; the others in the reference's order.
def _format(name: str) -> Format:
    spec, media_type = _spec(name)
    return Format(name=name, spec=spec, media_type=media_type)


FORMATS = tuple(
    _format(name)
    for name in ("riff-24khz-16bit-mono-pcm", *(n for n in OUTPUT_FORMATS if n != "riff-24khz-16bit-mono-pcm"))
)
MEDIA_TYPES = tuple(dict.fromkeys(fmt.media_type.split(";")[0] for fmt in FORMATS))

# "HTTP status codes": 400 "A required parameter is missing, empty, or null. Or, the value passed to either a
# required or optional parameter is invalid. A common reason is a header that's too long." 401 "The request
# isn't authorized. Make sure your resource key or token is valid and in the correct region." 415 "It's
# possible that the wrong Content-Type value was provided. Content-Type should be set to application/ssml+xml."
# 429 "You exceeded the quota or rate of requests allowed for your resource." 502 "There's a network or
# server-side problem. This status might also indicate invalid headers."
ERRORS = (
    Response(status=400, bodies=(), description="Bad request"),
    Response(status=401, bodies=(), description="Unauthorized"),
    Response(status=415, bodies=(), description="Unsupported media type"),
    Response(status=429, bodies=(), description="Too many requests"),
    Response(status=502, bodies=(), description="Bad gateway"),
)

SYNTHESIZE = Endpoint(
    key="tts.synthesize",
    method="POST",
    path="/cognitiveservices/v1",
    host=SPEECH,
    role=Role.AUDIO,
    summary="Convert text to speech: SSML in, the audio in X-Microsoft-OutputFormat out",
    request=SynthesizeRequest,
    body_kind=BodyKind.TEXT,
    text_body=SSML_BODY,
    header_fields={"output_format": "X-Microsoft-OutputFormat"},
    responses=(
        Response(status=200, bodies=(AudioBody(MEDIA_TYPES, pcm_rate=24000),), description="The audio"),
        *ERRORS,
    ),
    example={
        "text": "I'm excited to try text to speech.",
        "voice": "en-US-AvaMultilingualNeural",
        "language": "en-US",
        "output_format": "riff-24khz-16bit-mono-pcm",
    },
    doc=REFERENCE,
)

VOICES = Endpoint(
    key="voices.list",
    method="GET",
    path="/cognitiveservices/voices/list",
    host=SPEECH,
    role=Role.OTHER,
    summary="Get a list of voices for a region",
    responses=(
        Response(status=200, bodies=(JsonBody(VoiceList),), description="The voices"),
        Response(status=401, bodies=(), description="Unauthorized"),
    ),
    doc=REFERENCE,
)

ISSUE_TOKEN = Endpoint(
    key="sts.issue-token",
    method="POST",
    path="/sts/v1.0/issueToken",
    host=TOKENS,
    role=Role.OTHER,
    summary="Get an access token (valid 10 minutes) for Authorization: Bearer",
    responses=(
        Response(status=200, bodies=(PlainTextBody(("text/plain", "application/jwt")),), description="The token"),
        Response(status=401, bodies=(), description="Unauthorized"),
    ),
    doc=REFERENCE,
)


def _voices_body(voices: Sequence[Voice]) -> list[dict[str, Any]]:
    def entry(voice: Voice) -> dict[str, Any]:
        short = voice.name.split("-", 2)[-1].removesuffix("Neural").split(":")[0]
        return {
            "Name": f"Microsoft Server Speech Text to Speech Voice ({voice.language}, {short}Neural)",
            "DisplayName": short,
            "LocalName": short,
            "ShortName": voice.name,
            "Gender": voice.gender,
            "Locale": voice.language,
            "LocaleName": "English (United States)",
            "SampleRateHertz": "24000",
            "VoiceType": "Neural",
            "Status": "GA",
            "WordsPerMinute": "150",
        }

    return [entry(voice) for voice in voices]


VOICE_LIST = (
    # also spoken by the Voice Live socket's gpt-realtime (sockets.py: LiveKit's default voice for it)
    Voice("en-US-AvaMultilingualNeural", "en-US", "Female", ("neural", "gpt-realtime")),
    Voice("en-US-AndrewMultilingualNeural", "en-US", "Male", ("neural",)),
    Voice("en-US-JennyNeural", "en-US", "Female", ("neural",)),
    Voice("en-US-GuyNeural", "en-US", "Male", ("neural",)),
    Voice("en-US-Ava:DragonHDLatestNeural", "en-US", "Female", ("neural-hd",)),
    Voice("en-US-Andrew:DragonHDLatestNeural", "en-US", "Male", ("neural-hd",)),
    # The prebuilt neural voices of the language-support page's table for en-US and en-GB (LANGUAGE_SUPPORT, read
    # 2026-11-25): "| English (United States) | `en-US` | Female | `en-US-SaraNeural` | General, multiple voice styles
    # available [using SSML] |" — Pipecat's default voice (pipecat-ai 1.14.0, AzureTTSService:
    # voice="en-US-SaraNeural"), refused while the declaration listed four; LiveKit's (livekit-plugins-azure 1.8.9:
    # "en-US-JennyNeural") was listed.
    # The table's Kid voice (en-US-AnaNeural) is left out: the voices list's Gender for it is not stored.
    *(
        Voice(name, name[:5], gender, ("neural",))
        for name, gender in (
            ("en-US-AmberNeural", "Female"),
            ("en-US-AriaNeural", "Female"),
            ("en-US-AshleyNeural", "Female"),
            ("en-US-CoraNeural", "Female"),
            ("en-US-ElizabethNeural", "Female"),
            ("en-US-MichelleNeural", "Female"),
            ("en-US-MonicaNeural", "Female"),
            ("en-US-SaraNeural", "Female"),
            ("en-US-BrandonNeural", "Male"),
            ("en-US-ChristopherNeural", "Male"),
            ("en-US-EricNeural", "Male"),
            ("en-US-JacobNeural", "Male"),
            ("en-GB-LibbyNeural", "Female"),
            ("en-GB-SoniaNeural", "Female"),
            ("en-GB-RyanNeural", "Male"),
        )
    ),
)
# The language-support page's neural voices table (LANGUAGE_SUPPORT, read 2026-11-26: "Both the Microsoft Speech SDK and
# REST APIs support these voices, each of which supports a specific language and dialect, identified by locale"): its
# first female voice of each locale that is not English, in the table's words ("| Spanish (Spain) | `es-ES` | Female |
# `es-ES-ElviraNeural` | General |"). A locale's voice speaks its language: the benchmark speaks each language with it.
NEURAL_LOCALE_VOICES = (
    ("es-ES", "es-ES-ElviraNeural"),
    ("es-MX", "es-MX-DaliaNeural"),
    ("de-DE", "de-DE-KatjaNeural"),
    ("de-AT", "de-AT-IngridNeural"),
    ("de-CH", "de-CH-LeniNeural"),
    ("fr-FR", "fr-FR-DeniseNeural"),
    ("fr-CA", "fr-CA-SylvieNeural"),
    ("fr-CH", "fr-CH-ArianeNeural"),
    ("it-IT", "it-IT-ElsaNeural"),
    ("pt-BR", "pt-BR-FranciscaNeural"),
    ("pt-PT", "pt-PT-FernandaNeural"),
    ("ja-JP", "ja-JP-NanamiNeural"),
    ("zh-CN", "zh-CN-XiaoxiaoNeural"),
    ("zh-TW", "zh-TW-HsiaoYuNeural"),
    ("zh-HK", "zh-HK-HiuGaaiNeural"),
    ("ko-KR", "ko-KR-SunHiNeural"),
    ("hi-IN", "hi-IN-SwaraNeural"),
    ("ar-SA", "ar-SA-ZariyahNeural"),
    ("ar-EG", "ar-EG-SalmaNeural"),
    ("ru-RU", "ru-RU-DariyaNeural"),
    ("nl-NL", "nl-NL-ColetteNeural"),
    ("pl-PL", "pl-PL-ZofiaNeural"),
    ("tr-TR", "tr-TR-EmelNeural"),
    ("sv-SE", "sv-SE-HilleviNeural"),
    ("da-DK", "da-DK-ChristelNeural"),
    ("nb-NO", "nb-NO-IselinNeural"),
    ("fi-FI", "fi-FI-NooraNeural"),
    ("cs-CZ", "cs-CZ-VlastaNeural"),
    ("sk-SK", "sk-SK-ViktoriaNeural"),
    ("sl-SI", "sl-SI-PetraNeural"),
    ("hr-HR", "hr-HR-GabrijelaNeural"),
    ("hu-HU", "hu-HU-NoemiNeural"),
    ("ro-RO", "ro-RO-AlinaNeural"),
    ("bg-BG", "bg-BG-KalinaNeural"),
    ("el-GR", "el-GR-AthinaNeural"),
    ("he-IL", "he-IL-HilaNeural"),
    ("ca-ES", "ca-ES-AlbaNeural"),
    ("id-ID", "id-ID-GadisNeural"),
    ("ms-MY", "ms-MY-YasminNeural"),
    ("th-TH", "th-TH-AcharaNeural"),
    ("vi-VN", "vi-VN-HoaiMyNeural"),
    ("ta-IN", "ta-IN-PallaviNeural"),
    ("te-IN", "te-IN-ShrutiNeural"),
)
NEURAL_LANGUAGES = (
    "en-US",
    "en-GB",
    "en-AU",
    "en-CA",
    "en-IN",
    "en-IE",
    *(locale for locale, _ in NEURAL_LOCALE_VOICES),
)
NEURAL_LANGUAGES_SOURCE = (
    "language-support.md's neural voices table, " + "https://github.com/MicrosoftDocs/azure-docs/"
    "blob/main/articles/cognitive-services/Speech-Service/language-support.md (read 2026-11-26)"
)
LOCALE_VOICES = tuple(Voice(name, locale, "Female", ("neural",)) for locale, name in NEURAL_LOCALE_VOICES)
# MicrosoftDocs/azure-docs, articles/cognitive-services/Speech-Service/language-support.md (ms.date 01/07/2022): "Both
# the Microsoft Speech SDK and REST APIs support these neural voices"; its "Prebuilt neural voices" table.
LANGUAGE_SUPPORT = (
    "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/cognitive-services/Speech-Service/"
    "language-support.md"
)

# Their prices: harness/data/prices/azure.toml.
MODELS = (
    Model(
        name="neural",
        synthesis=SYNTHESIZE.key,
        voice="en-US-AvaMultilingualNeural",
        languages=NEURAL_LANGUAGES,
        languages_source=NEURAL_LANGUAGES_SOURCE,
    ),
    Model(name="neural-hd", synthesis=SYNTHESIZE.key, voice="en-US-Ava:DragonHDLatestNeural"),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "BadRequest", "{detail}"),
    missing_key=SpeechRefusal(401, "Unauthorized", ""),
    bad_key=SpeechRefusal(401, "Unauthorized", ""),
    unknown_voice=SpeechRefusal(400, "BadRequest", "{detail}"),
    rate_limited=SpeechRefusal(429, "TooManyRequests", ""),
    quota=SpeechRefusal(429, "TooManyRequests", ""),
    not_found=SpeechRefusal(404, "NotFound", ""),
    busy=SpeechRefusal(502, "BadGateway", ""),
    server_error=SpeechRefusal(502, "BadGateway", ""),
)

PRONUNCIATION_PAGE = (
    "https://learn.microsoft.com/azure/ai-services/speech-service/speech-synthesis-markup-pronunciation"
)

# Markup: the body is SSML the harness renders from the text; a markup text is the <voice> element's content, its
# tags elements of the document (the text put in unescaped: `MARKUP_TEXT`), as the SSML page's example writes them.
MARKUP = Markup(
    syntax=Syntax.SSML,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{ms}ms" />',
            doc=SSML_REFERENCE + "#add-a-break",
            max_ms=5_000,
            quote='"Use the `break` element to override the default behavior of breaks or pauses between words. '
            "... `time` The absolute duration of a pause in seconds (such as `2s`) or milliseconds (such as "
            "`500ms`). Valid values range from 0 to 5000 milliseconds. If you set a value greater than the "
            'supported maximum, the service will use `5000ms`." <voice name="en-US-JennyNeural"> Welcome <break '
            'time="750ms" /> to text to speech. </voice> (MicrosoftDocs, speech-synthesis-markup-structure.md, '
            "read 2026-11-27; a later adaptation of the page reads 0 to 20000 ms)",
        ),
        Tag(
            kind=TagKind.CHARACTERS,
            form='<say-as interpret-as="characters">{text}</say-as>',
            doc=PRONUNCIATION_PAGE + "#say-as-element",
            quote='"`characters`, `spell-out` | The text is spoken as individual letters (spelled out). The speech '
            'synthesis engine pronounces: <say-as interpret-as="characters">test</say-as> As "T E S T."" '
            "(MicrosoftDocs, speech-synthesis-markup-pronunciation.md, read 2026-11-27)",
        ),
        Tag(
            kind=TagKind.DIGITS,
            form='<say-as interpret-as="number_digit">{text}</say-as>',
            doc=PRONUNCIATION_PAGE + "#say-as-element",
            quote='"`number_digit` | The text is spoken as a sequence of individual digits. The speech synthesis '
            'engine pronounces: <say-as interpret-as="number_digit">123456789</say-as> As "1 2 3 4 5 6 7 8 9."" '
            "(read 2026-11-27)",
        ),
        Tag(
            kind=TagKind.SUB,
            form='<sub alias="{value}">{text}</sub>',
            doc=PRONUNCIATION_PAGE + "#sub-element",
            quote="\"Use the `sub` element to indicate that the alias attribute's text value should be pronounced "
            'instead of the element\'s enclosed text. ... <sub alias="World Wide Web Consortium">W3C</sub>" (read '
            "2026-11-27)",
        ),
        Tag(
            kind=TagKind.PHONEME,
            form='<phoneme alphabet="ipa" ph="{value}">{text}</phoneme>',
            doc=PRONUNCIATION_PAGE + "#phoneme-element",
            quote='"The `phoneme` element is used for phonetic pronunciation in SSML documents. ... `alphabet` ... '
            '`ipa` ... <phoneme alphabet="ipa" ph="tə.ˈmeɪ.toʊ"> tomato </phoneme>" (read 2026-11-27)',
        ),
    ),
    also_sets=(MARKUP_TEXT,),
    fragment=True,
)

SERVICE = SpeechService(
    name="azure",
    title="Azure AI Speech text to speech (REST)",
    hosts={SPEECH: "https://{region}.tts.speech.microsoft.com", TOKENS: "https://{region}.api.cognitive.microsoft.com"},
    auth=Auth(header="Ocp-Apim-Subscription-Key", others=(Auth(header="Authorization", scheme="Bearer"),)),
    key_env="AZURE_SPEECH_KEY",
    docs=(REFERENCE, SSML_REFERENCE, PRICING, VOICELIVE_CANCEL),  # the Voice Live socket's response.cancel
    error_model=ErrorBody,
    errors=ErrorShape(None),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(text="/text", voice="/voice", format="/output_format", language="/language"),
            formats=FORMATS,
            default_format="riff-24khz-16bit-mono-pcm",
            markup=MARKUP,
        ),
    ),
    listings=(Listing(VOICES, _voices_body),),
    token=TokenExchange(ISSUE_TOKEN, TOKEN_LIFETIME_S),
    models=MODELS,
    voices=(*VOICE_LIST, *LOCALE_VOICES),
    region_env="AZURE_SPEECH_REGION",
    doc_drift=(
        DocDrift(
            "raw formats' Content-Type",
            "The reference names no Content-Type for the raw-* formats; "
            "the harness reads them by the format asked for (audio/pcm at its rate, G.711 as "
            "audio/basic and audio/PCMA).",
            (REFERENCE,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
