"""Amazon Polly as its documents and AWS's service model describe it, in the HTTP speech family's terms:
SynthesizeSpeech answering the audio as the body (with `x-amzn-RequestCharacters`, the billed count),
DescribeVoices, AWS Signature V4 (botocore's signer), rest-json errors, every answer naming its request in
`x-amzn-RequestId`, and each engine as a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, get_args

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import Catalogue
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
    Voice,
    build_provider,
)
from harness.core.protocols.marks import BYTES, Marks
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.signing import SigV4
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.polly.models import (
    ERRORS_REFERENCE,
    LIMITS_REFERENCE,
    MODEL_SOURCE,
    PRICING,
    REFERENCE,
    VOICES_REFERENCE,
    DescribeVoicesInput,
    DescribeVoicesOutput,
    ErrorBody,
    SynthesizeSpeechInput,
    VoiceName,
)

# AWS's pricing page is not among the stored pages: the prices are its transcription read 2026-10-07 (an API
# catalogue's plans file citing https://aws.amazon.com/polly/pricing/), matched by two other transcriptions.
HOST = "api"
BILLED = "x-amzn-RequestCharacters"  # SynthesizeSpeechOutput.RequestCharacters: "Number of characters synthesized."
# Not in SynthesizeSpeech's own reference but on every AWS rest-json answer, errors included (read 2026-11-25):
# AWS's HTTP-response pages ("x-amzn-RequestId: A value created by [the service] that uniquely identifies your
# request", shown on a 400 beside x-amzn-ErrorType: docs.aws.amazon.com/waf/latest/developerguide/
# waf-api-making-requests-response.html) and botocore 1.43's rest-json parser, which reads it as
# ResponseMetadata.RequestId on success and on errors alike; real Polly answers logged by botocore carry it.
REQUEST_ID = "x-amzn-RequestId"
COMPRESSED_RATES = (8000, 16000, 22050, 24000, 44100, 48000)

# SampleRate: "The valid values for mp3 and ogg_vorbis are "8000", "16000", "22050", "24000", "44100" and
# "48000". ... Valid values for pcm are "8000" and "16000" The default value is "16000". Valid value for
# ogg_opus is "48000". Valid value for mu-law and a-law is "8000"." OutputFormat: "When pcm is used, the
# content returned is audio/pcm in a signed 16-bit, 1 channel (mono), little-endian format."
FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg", rates=COMPRESSED_RATES),
    Format(name="ogg_vorbis", spec=AudioSpec("vorbis", 24000, "ogg"), media_type="audio/ogg", rates=COMPRESSED_RATES),
    Format(name="ogg_opus", spec=AudioSpec("opus", 48000, "ogg"), media_type="audio/ogg", rates=(48000,)),
    Format(name="pcm", spec=AudioSpec("pcm_s16le", 16000, "raw"), media_type="audio/pcm", rates=(8000, 16000)),
    # SynthesizeSpeechOutput.ContentType (the service model): "If you request mu-law as the OutputFormat, the
    # ContentType returned is audio/mulaw" (a-law: "audio/alaw"): headerless G.711 bytes at 8 kHz.
    Format(name="mulaw", spec=AudioSpec("pcm_mulaw", 8000, "raw"), media_type="audio/mulaw", rates=(8000,)),
    Format(name="alaw", spec=AudioSpec("pcm_alaw", 8000, "raw"), media_type="audio/alaw", rates=(8000,)),
)
MEDIA_TYPES = tuple(dict.fromkeys(fmt.media_type for fmt in FORMATS))


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, headers=("x-amzn-ErrorType",))


SYNTHESIZE = Endpoint(
    key="speech.synthesize",
    method="POST",
    path="/v1/speech",
    summary="SynthesizeSpeech: the audio stream as the body",
    host=HOST,
    role=Role.STREAM,  # "AudioStream"
    request=SynthesizeSpeechInput,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200, bodies=(AudioBody(MEDIA_TYPES, pcm_rate=16000),), description="AudioStream", headers=(BILLED,)
        ),
        _error(
            400,
            "TextLengthExceeded, InvalidSampleRate, InvalidSsml, MarksNotSupportedForFormat, "
            "SsmlMarksNotSupportedForTextType, LanguageNotSupported, EngineNotSupported, Validation",
        ),
        _error(403, "UnrecognizedClient, InvalidSignature, MissingAuthenticationToken"),
        _error(404, "LexiconNotFoundException"),
        _error(500, "ServiceFailureException"),
    ),
    example={"Engine": "neural", "OutputFormat": "mp3", "Text": "Hello from Amazon Polly.", "VoiceId": "Joanna"},
    doc=REFERENCE,
)

VOICES = Endpoint(
    key="voices.describe",
    method="GET",
    path="/v1/voices",
    summary="DescribeVoices: the voices and their engines",
    host=HOST,
    role=Role.OTHER,
    request=DescribeVoicesInput,
    body_kind=BodyKind.QUERY,
    query_fields=("Engine", "LanguageCode", "IncludeAdditionalLanguageCodes", "NextToken"),
    responses=(
        Response(status=200, bodies=(JsonBody(DescribeVoicesOutput),), description="Voices"),
        _error(400, "InvalidNextToken"),
        _error(403, "UnrecognizedClient"),
        _error(500, "ServiceFailureException"),
    ),
    example={"Engine": "neural", "LanguageCode": "en-US"},
    doc=VOICES_REFERENCE,
)


def _voices_body(voices: Sequence[Voice]) -> dict[str, Any]:
    return {
        "Voices": [
            {
                "Gender": v.gender,
                "Id": v.name,
                "LanguageCode": v.language,
                "LanguageName": "US English",
                "Name": v.name,
                "SupportedEngines": list(v.models),
            }
            for v in voices
        ]
    }


def _voice(name: str, gender: str, *engines: str) -> Voice:
    return Voice(name, "en-US", gender, engines)


# US English voices and the engines each is documented with: standard and neural from the developer guide's
# voice table (Joanna, Salli, Joey, Matthew); long-form for Danielle, Gregory and Ruth and generative for
# Ruth and Matthew from AWS's engine pages. A voice asked for with an engine not listed here is refused.
VOICE_LIST = (
    _voice("Joanna", "Female", "standard", "neural"),
    _voice("Matthew", "Male", "standard", "neural", "generative"),
    _voice("Ruth", "Female", "neural", "long-form", "generative"),
    _voice("Danielle", "Female", "neural", "long-form"),
    _voice("Gregory", "Male", "neural", "long-form"),
    _voice("Salli", "Female", "standard", "neural"),
    _voice("Joey", "Male", "standard", "neural"),
)

# The standard engine's voices of the other languages (STANDARD_VOICES_PAGE, read 2026-11-26: "Amazon Polly ... 29
# languages and language variants", a table of language, language code, name/ID, gender): each locale's first voice.
# A voice speaks its locale's language: the benchmark speaks each language with it.
STANDARD_VOICES_PAGE = "https://docs.aws.amazon.com/polly/latest/dg/standard-voices.html"
STANDARD_LOCALE_VOICES = (
    ("es-ES", "Conchita"),
    ("es-MX", "Mia"),
    ("es-US", "Lupe"),
    ("de-DE", "Marlene"),
    ("fr-FR", "Celine"),
    ("fr-CA", "Chantal"),
    ("it-IT", "Carla"),
    ("pt-BR", "Camila"),
    ("pt-PT", "Ines"),
    ("ja-JP", "Mizuki"),
    ("cmn-CN", "Zhiyu"),
    ("ko-KR", "Seoyeon"),
    ("hi-IN", "Aditi"),
    ("arb", "Zeina"),
    ("ru-RU", "Tatyana"),
    ("nl-NL", "Lotte"),
    ("pl-PL", "Ewa"),
    ("tr-TR", "Filiz"),
    ("sv-SE", "Astrid"),
    ("da-DK", "Naja"),
    ("nb-NO", "Liv"),
    ("is-IS", "Dora"),
    ("ro-RO", "Carmen"),
    ("cy-GB", "Gwyneth"),
)
STANDARD_LANGUAGES = ("en-US", "en-GB", "en-AU", "en-IN", "en-GB-WLS", *(code for code, _ in STANDARD_LOCALE_VOICES))
STANDARD_LANGUAGES_SOURCE = f"{STANDARD_VOICES_PAGE} (read 2026-11-26): available standard voices, by language code"
LOCALE_VOICES = tuple(
    Voice(name, code, "", ("standard",), {"source": STANDARD_VOICES_PAGE}) for code, name in STANDARD_LOCALE_VOICES
)

# Open over the service model's own list: VoiceId's enum (MODEL_SOURCE, botocore 1.44.8, read 2026-11-25: 116 voices,
# the request model's `VoiceName`) names every voice SynthesizeSpeech takes; VOICE_LIST details seven of them (their
# engines, gender and language, as DescribeVoices answers). Any other voice of the enum ("Amy", "Brian", the
# languages' voices a Pipecat or boto3 user names) is spoken with a finding, by whatever engine is asked (which engines
# each speaks is DescribeVoices' to say, not stored); a name outside the enum is refused, as the request model does.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form="|".join(get_args(VoiceName)),
    why="VoiceId: the service model's enum lists every voice (116 in botocore 1.44.8); the declaration details seven",
)

# Each engine is a model; their prices: harness/data/prices/polly.toml.
MODELS = (
    Model(
        name="standard",
        synthesis=SYNTHESIZE.key,
        voice="Joanna",
        sets={"/Engine": "standard"},
        languages=STANDARD_LANGUAGES,
        languages_source=STANDARD_LANGUAGES_SOURCE,
    ),
    Model(name="neural", synthesis=SYNTHESIZE.key, voice="Joanna", sets={"/Engine": "neural"}),
    Model(name="long-form", synthesis=SYNTHESIZE.key, voice="Ruth", sets={"/Engine": "long-form"}),
    Model(name="generative", synthesis=SYNTHESIZE.key, voice="Ruth", sets={"/Engine": "generative"}),
)

# The error codes are the service model's and AWS's common errors (403 UnrecognizedClientException as real Polly
# traffic shows it); the messages are the sandbox's own words where no document quotes one.
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "ValidationException", "1 validation error detected: {detail}"),
    missing_key=SpeechRefusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    bad_key=SpeechRefusal(403, "UnrecognizedClientException", "The security token included in the request is invalid."),
    bad_signature=SpeechRefusal(403, "InvalidSignatureException", "{detail}"),
    unknown_voice=SpeechRefusal(
        400, "EngineNotSupportedException", "This voice does not support the selected engine: {detail}"
    ),
    rate_limited=SpeechRefusal(400, "ThrottlingException", "Rate exceeded"),
    quota=SpeechRefusal(400, "ThrottlingException", "Rate exceeded"),
    not_found=SpeechRefusal(404, "UnknownOperationException", "{detail}"),
    busy=SpeechRefusal(500, "ServiceFailureException", "An unknown condition has caused a service failure."),
    server_error=SpeechRefusal(500, "ServiceFailureException", "An unknown condition has caused a service failure."),
)

# SSML, read where the request says TextType "ssml" (SynthesizeSpeechInput.TextType: "Specifies whether the input text
# is plain text or SSML. The default value is plain text."): a `<speak>` document; its pause, `<break time>`.
BREAK_PAGE = "https://docs.aws.amazon.com/polly/latest/dg/break-tag.html"
SAY_AS_PAGE = "https://docs.aws.amazon.com/polly/latest/dg/say-as-tag.html"
SUB_PAGE = "https://docs.aws.amazon.com/polly/latest/dg/sub-tag.html"
PHONEME_PAGE = "https://docs.aws.amazon.com/polly/latest/dg/phoneme-tag.html"
MARKUP = Markup(
    syntax=Syntax.SSML,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{ms}ms"/>',
            doc=BREAK_PAGE,
            max_ms=10_000,
            quote='"This tag is supported by generative, long-form, neural, and standard TTS formats. To add a pause '
            "to your "
            "text, use the <break> tag. ... time attribute values: [number]s: The duration of the pause, in seconds. "
            "The maximum duration is 10s. [number]ms: The duration of the pause, in milliseconds. The maximum duration "
            'is 10000ms." <speak> Mary had a little lamb <break time="3s"/>Whose fleece was white as snow. </speak> '
            "(read 2026-11-26; the page's translations add that <break time=> is only partly available for generative "
            "voices)",
        ),
        Tag(
            kind=TagKind.CHARACTERS,
            form='<say-as interpret-as="characters">{text}</say-as>',
            doc=SAY_AS_PAGE,
            quote='"<say-as interpret-as="value">[text to be interpreted]</say-as> ... characters or spell-out: Spells '
            'out each letter of the text, as in a-b-c." (read 2026-11-27; for a neural voice "the affected sentence '
            'will be synthesized using the related standard voice")',
        ),
        Tag(
            kind=TagKind.DIGITS,
            form='<say-as interpret-as="digits">{text}</say-as>',
            doc=SAY_AS_PAGE,
            quote='"<say-as interpret-as="value">[text to be interpreted]</say-as> ... digits: Spells out each digit '
            'individually, as in 1-2-3-4." (read 2026-11-27)',
        ),
        Tag(
            kind=TagKind.SUB,
            form='<sub alias="{value}">{text}</sub>',
            doc=SUB_PAGE,
            quote='"This tag is supported by generative, long-form, neural, and standard TTS formats. Use the <sub> '
            "tag with "
            "the alias attribute to substitute a different word (or pronunciation) for selected text such as an "
            'acronym or abbreviation. ... <sub alias="new word">abbreviation</sub>" (read 2026-11-27)',
        ),
        Tag(
            kind=TagKind.PHONEME,
            form='<phoneme alphabet="ipa" ph="{value}">{text}</phoneme>',
            doc=PHONEME_PAGE,
            unsupported_on=("generative",),
            quote='"This tag is supported by long-form, neural, and standard TTS formats. ... alphabet: ipa— Indicates '
            'that the International Phonetic Alphabet (IPA) will be used. ... <phoneme alphabet="ipa" '
            'ph="pɪˈkɑːn">pecan</phoneme>" (read 2026-11-27; generative is not named)',
        ),
    ),
    document="<speak>{text}</speak>",
    also_sets=(("/TextType", "ssml"),),
)

# The billed characters of each SynthesizeSpeech (SSML tags not counted: polly.toml's counting rule).
BILLING = (
    BilledSignal(
        unit=Unit.CHARACTERS,
        header=BILLED,
        evidence=(
            'SynthesizeSpeech response element RequestCharacters, header x-amzn-RequestCharacters: "Number of '
            "characters "
            "synthesized.\" (docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html; botocore's polly service "
            "model); "
            '"SSML tags are not counted as billed characters." (docs.aws.amazon.com/polly/latest/dg/limits.html)'
        ),
    ),
)

# Speech marks: a SynthesizeSpeech of their own (OutputFormat json, SpeechMarkTypes naming the kinds), answered "instead
# of synthesized speech" as one JSON object a line: `time` in ms from the audio's start, `start`/`end` byte offsets into
# the text, `type`, `value`. The word marks are the words; sentence, viseme and ssml marks are read and set aside.
SPEECH_MARKS_PAGES = (
    "https://docs.aws.amazon.com/polly/latest/dg/speechmarks.html",
    "https://docs.aws.amazon.com/polly/latest/dg/output.html",
)
SPEECH_MARKS = Marks(
    text_at="/value",
    start_at="/time",
    items_at="",
    kind_at="/type",
    kind="word",
    unit_s=0.001,
    offsets_at=("/start", "/end"),
    offsets_in=BYTES,
    asked_by="/SpeechMarkTypes",
    asked_value=["word"],
    also_sets=(("/OutputFormat", "json"),),
    lines="application/x-json-stream",
    evidence='"When you request speech marks for your text, Amazon Polly returns this metadata instead of '
    'synthesized speech." (' + SPEECH_MARKS_PAGES[0] + '); "Amazon Polly returns speech mark objects in a '
    "line-delimited JSON stream. A speech mark object contains the following fields: time – the timestamp "
    "in milliseconds "
    "from the beginning of the corresponding audio stream; type – the type of speech mark (sentence, word, "
    "viseme, or ssml); start – the offset in bytes (not characters) of the start of the object in the input "
    "text (not including viseme marks); end – the offset in bytes (not characters) of the object's end in the "
    'input text (not including viseme marks); value – this varies depending on the type of speech mark"; '
    '{"time":373,"type":"word","start":5,"end":8,"value":"had"} ('
    + SPEECH_MARKS_PAGES[1]
    + ', read 2026-11-26); SpeechMarkTypes "The type of speech marks returned for the input text", '
    'OutputFormat "Valid Values: json | mp3 | ..." (' + REFERENCE + ")",
)


SERVICE = SpeechService(
    name="polly",
    title="Amazon Polly (SynthesizeSpeech, SigV4)",
    hosts={HOST: "https://polly.{region}.amazonaws.com"},
    auth=Auth(header="Authorization", signer=SigV4("polly"), invalid_status=403),
    key_env="AWS_SECRET_ACCESS_KEY",  # with AWS_ACCESS_KEY_ID (and AWS_SESSION_TOKEN) beside it
    docs=(REFERENCE, VOICES_REFERENCE, ERRORS_REFERENCE, LIMITS_REFERENCE, PRICING, MODEL_SOURCE),
    error_model=ErrorBody,
    errors=ErrorShape({"message": "{message}"}, headers={"x-amzn-ErrorType": "{code}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(
                text="/Text",
                voice="/VoiceId",
                format="/OutputFormat",
                rate="/SampleRate",
                language="/LanguageCode",
                text_type=("/TextType", "ssml"),
            ),
            formats=FORMATS,
            default_format="mp3",
            billing=BILLING,
            rate_as_text=True,
            marks=SPEECH_MARKS,
            markup=MARKUP,
        ),
    ),
    listings=(Listing(VOICES, _voices_body, language_param="LanguageCode"),),
    models=MODELS,
    voices=(*VOICE_LIST, *LOCALE_VOICES),
    voice_catalogue=VOICE_CATALOGUE,
    region_env="AWS_REGION",
    default_region="us-east-1",
    request_id_header=REQUEST_ID,
    doc_drift=(
        DocDrift(
            "throttling status",
            "AWS's common errors answer ThrottlingException with 400, not 429: a "
            "client retrying only 429 never retries Polly's throttling.",
            (ERRORS_REFERENCE,),
        ),
    ),
)

PROVIDER = build_provider(SERVICE)
