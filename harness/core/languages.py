"""Language tags as providers write them ("es", "es-MX", "pt_BR", "cmn-Hans-CN") and the one rule that matches them.

A corpus says its language by its primary subtag ("es"); a declaration lists a model's languages as its documents
write them ("es-ES", "hi-IN", "es"). They match on the primary subtag, with Chinese's macrolanguage and its Mandarin
as one ("zh" and "cmn"): `speaks` says whether a model speaks a corpus's language, `tag_for` which of its tags the
request names for it. One module, so the plan, the request builders and the sandbox agree.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The language a request speaks where it names none (`core.spec`'s default), and the one the default ASR model reads
#: alone: the language check never checks it, the sandbox's voices speak it.
ENGLISH = "en"
#: Primary subtags that name one language (Mandarin and Standard Arabic are written both ways).
_SAME = {"cmn": "zh", "arb": "ar"}


#: The languages' English names some documents list instead of codes (a `language_type`, a `language_boost` enum).
NAMED = {
    "Afrikaans": "af",
    "Arabic": "ar",
    "Bulgarian": "bg",
    "Catalan": "ca",
    "Chinese": "zh",
    "Chinese,Yue": "yue",
    "Croatian": "hr",
    "Czech": "cs",
    "Danish": "da",
    "Dutch": "nl",
    "English": "en",
    "Filipino": "fil",
    "Finnish": "fi",
    "French": "fr",
    "German": "de",
    "Greek": "el",
    "Hebrew": "he",
    "Hindi": "hi",
    "Hungarian": "hu",
    "Indonesian": "id",
    "Italian": "it",
    "Japanese": "ja",
    "Korean": "ko",
    "Malay": "ms",
    "Norwegian": "no",
    "Nynorsk": "nn",
    "Persian": "fa",
    "Polish": "pl",
    "Portuguese": "pt",
    "Romanian": "ro",
    "Russian": "ru",
    "Slovak": "sk",
    "Slovenian": "sl",
    "Spanish": "es",
    "Swedish": "sv",
    "Tamil": "ta",
    "Thai": "th",
    "Turkish": "tr",
    "Ukrainian": "uk",
    "Vietnamese": "vi",
    "Armenian": "hy",
    "Azerbaijani": "az",
    "Belarusian": "be",
    "Bosnian": "bs",
    "Estonian": "et",
    "Galician": "gl",
    "Icelandic": "is",
    "Kannada": "kn",
    "Kazakh": "kk",
    "Latvian": "lv",
    "Lithuanian": "lt",
    "Macedonian": "mk",
    "Marathi": "mr",
    "Maori": "mi",
    "Nepali": "ne",
    "Serbian": "sr",
    "Swahili": "sw",
    "Tagalog": "tl",
    "Urdu": "ur",
    "Welsh": "cy",
}


def codes_of(names: Iterable[str]) -> tuple[str, ...]:
    """The codes of the languages `names` lists by their English names (names it does not know, "Auto", left out)."""
    return tuple(dict.fromkeys(NAMED[name] for name in names if name in NAMED))


def primary(tag: str | None) -> str:
    """A tag's language alone, lower case ("es-MX" -> "es", "cmn-Hans-CN" -> "zh", "pt_BR" -> "pt"); "" for none."""
    first = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return _SAME.get(first, first)


def tag_for(languages: Iterable[str], language: str) -> str | None:
    """The tag among `languages` that names `language` (the exact tag first, then the first of its language), or
    None where none does."""
    listed = list(languages)
    wanted = language.strip().replace("_", "-").lower()
    exact = next((tag for tag in listed if tag.replace("_", "-").lower() == wanted), None)
    return exact or next((tag for tag in listed if primary(tag) == primary(language)), None)


def speaks(languages: Iterable[str], language: str) -> bool:
    """Whether a model of `languages` speaks `language` (by its primary subtag)."""
    return tag_for(languages, language) is not None
