"""Amazon Polly's wire payloads, as its API reference and AWS's published service model write them
(botocore `data/polly/2016-06-10/service-2.json`, protocol rest-json, signature v4).

    POST /v1/speech   {"Engine", "LanguageCode", "LexiconNames", "OutputFormat", "SampleRate",
                       "SpeechMarkTypes", "Text", "TextType", "VoiceId"}
        200: the audio stream as the body; headers Content-Type, x-amzn-RequestCharacters
    GET  /v1/voices?Engine=&LanguageCode=&IncludeAdditionalLanguageCodes=&NextToken=
        200: {"Voices": [{"Gender", "Id", "LanguageCode", "LanguageName", "Name", "AdditionalLanguageCodes",
              "SupportedEngines"}], "NextToken"}
    errors (rest-json): the error's name in the `x-amzn-ErrorType` header, `{"message": "..."}` as the body
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html"
VOICES_REFERENCE = "https://docs.aws.amazon.com/polly/latest/dg/API_DescribeVoices.html"
ERRORS_REFERENCE = "https://docs.aws.amazon.com/polly/latest/dg/CommonErrors.html"
LIMITS_REFERENCE = "https://docs.aws.amazon.com/polly/latest/dg/limits.html"
PRICING = "https://aws.amazon.com/polly/pricing/"
MODEL_SOURCE = "botocore data/polly/2016-06-10/service-2.json"

# "Size of input text: 3000 billed characters (6000 total characters). SSML tags are not counted as billed
# characters." (Quotas in Amazon Polly; the limit on everything sent is the 6000.)
MAX_TEXT_CHARS = 6000

EngineName = Literal["standard", "neural", "long-form", "generative"]
OutputFormatName = Literal["json", "mp3", "ogg_opus", "ogg_vorbis", "pcm", "mulaw", "alaw"]
TextTypeName = Literal["ssml", "text"]
# VoiceId's enum in the service model (the voices of every language; DescribeVoices lists who speaks what).
VoiceName = Literal[
    "Aditi",
    "Amy",
    "Astrid",
    "Bianca",
    "Brian",
    "Camila",
    "Carla",
    "Carmen",
    "Celine",
    "Chantal",
    "Conchita",
    "Cristiano",
    "Dora",
    "Emma",
    "Enrique",
    "Ewa",
    "Filiz",
    "Gabrielle",
    "Geraint",
    "Giorgio",
    "Gwyneth",
    "Hans",
    "Ines",
    "Ivy",
    "Jacek",
    "Jan",
    "Joanna",
    "Joey",
    "Justin",
    "Karl",
    "Kendra",
    "Kevin",
    "Kimberly",
    "Lea",
    "Liv",
    "Lotte",
    "Lucia",
    "Lupe",
    "Mads",
    "Maja",
    "Marlene",
    "Mathieu",
    "Matthew",
    "Maxim",
    "Mia",
    "Miguel",
    "Mizuki",
    "Naja",
    "Nicole",
    "Olivia",
    "Penelope",
    "Raveena",
    "Ricardo",
    "Ruben",
    "Russell",
    "Salli",
    "Seoyeon",
    "Takumi",
    "Tatyana",
    "Vicki",
    "Vitoria",
    "Zeina",
    "Zhiyu",
    "Aria",
    "Ayanda",
    "Arlet",
    "Hannah",
    "Arthur",
    "Daniel",
    "Liam",
    "Pedro",
    "Kajal",
    "Hiujin",
    "Laura",
    "Elin",
    "Ida",
    "Suvi",
    "Ola",
    "Hala",
    "Andres",
    "Sergio",
    "Remi",
    "Adriano",
    "Thiago",
    "Ruth",
    "Stephen",
    "Kazuha",
    "Tomoko",
    "Niamh",
    "Sofie",
    "Lisa",
    "Isabelle",
    "Zayd",
    "Danielle",
    "Gregory",
    "Burcu",
    "Jitka",
    "Sabrina",
    "Jasmine",
    "Jihye",
    "Ambre",
    "Beatrice",
    "Florian",
    "Lennart",
    "Lorenzo",
    "Tiffany",
    "Arjun",
    "Carlos",
    "Carolina",
    "Curtis",
    "Hyunduk",
    "Kenneth",
    "Kiara",
    "Leo",
    "Nate",
    "Tina",
]
SpeechMarkType = Literal["sentence", "ssml", "viseme", "word"]


class SynthesizeSpeechInput(RequestModel):
    Engine: EngineName | None = None  # "Specifies the engine (standard, neural, long-form, or generative)"
    LanguageCode: str | None = None
    LexiconNames: list[str] | None = Field(
        None,
        max_length=5,
        description="List of one or more pronunciation "
        "lexicon names you want the service to apply during synthesis "
        "(LexiconNameList: max 5, the service model).",
    )
    OutputFormat: OutputFormatName  # required: "The format in which the returned output will be encoded."
    SampleRate: str | None = None  # "The audio frequency specified in Hz." (a string: "16000")
    SpeechMarkTypes: list[SpeechMarkType] | None = Field(
        None,
        max_length=4,
        description="The type of speech "
        "marks returned for the input text (SpeechMarkTypeList: "
        "max 4, the service model).",
    )
    Text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="Input text to synthesize (Quotas: 3000 billed characters, 6000 total characters).",
    )
    TextType: TextTypeName | None = None
    VoiceId: VoiceName  # required: "Voice ID to use for the synthesis."


class DescribeVoicesInput(RequestModel):
    Engine: EngineName | None = None
    LanguageCode: str | None = None
    IncludeAdditionalLanguageCodes: bool | None = None
    NextToken: str | None = None


class VoiceEntry(ResponseModel):
    Gender: Literal["Female", "Male"]
    Id: str
    LanguageCode: str
    LanguageName: str
    Name: str
    AdditionalLanguageCodes: list[str] | None = None
    SupportedEngines: list[EngineName]


class DescribeVoicesOutput(ResponseModel):
    Voices: list[VoiceEntry]
    NextToken: str | None = None


class ErrorBody(ResponseModel):
    """rest-json errors: `{"message": "..."}` (the type travels in the `x-amzn-ErrorType` header)."""

    message: str
