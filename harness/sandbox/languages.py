"""Which language a request is spoken in, and the voice that speaks it: Piper for English, espeak-ng for the rest.

The sandbox has one natural voice (Piper's `joe`, English) and espeak-ng's voices for ~100 other languages. A request
is spoken in the language it asks for, decided as the providers decide it (`spoken_language`):

    1. the request's language field (a `languageCode`, a `language_code`), where it has one and sets it;
    2. else the voice's own language, where the voice is of one language other than English (a `de-DE-KatjaNeural`);
    3. else the model's language, where the model speaks one only;
    4. else the text's language, where the model speaks several and nothing in the request says which (a multilingual
       model reads the text as it is written): guessed from its script and its commonest words (`text_language`),
       among the model's languages;
    5. else English.

A language espeak-ng has no voice for is spoken in English with one line saying so (a finding), never refused: the
provider would speak it, the sandbox cannot. The drift control can make a provider answer in English whatever was
asked (`ProviderDrift.language_fallback`): what a voice falling back to English sounds like.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from harness.core.languages import ENGLISH, primary
from harness.sandbox.emulation import Speech
from harness.speech import Engine, Rendition, espeak_pace, espeak_voice, unavailable_reason

#: A language field's values that ask the provider to detect the language from the text.
AUTOMATIC = frozenset({"auto", "automatic", "detect"})
#: The finding a language the sandbox cannot speak leaves (`GET /_sandbox/findings`), and its one log line.
CANNOT_SPEAK = "the sandbox has no voice for language {language!r}: spoken in English"

log = logging.getLogger("harness.sandbox")


def is_english(language: str | None) -> bool:
    return primary(language) in ("", ENGLISH, "eng")


def request_language(asked: object, voice_language: str | None, model_languages: Sequence[str]) -> str | None:
    """The language a request asks for before its text is read (the module's rule, steps 1-3 and 5); None where the
    model speaks several and nothing in the request says which: its text decides (`spoken_language`)."""
    if asked is not None and str(asked).strip():
        return None if str(asked).strip().lower() in AUTOMATIC else str(asked).strip()
    if voice_language and not is_english(voice_language):
        return voice_language
    languages = [language for language in model_languages if language]
    if len(languages) > 1:
        return None
    return languages[0] if languages else ENGLISH


def spoken_language(asked: object, voice_language: str | None, model_languages: Sequence[str], text: str) -> str:
    """The language a request is spoken in (the module's rule: field, voice, model, text, English)."""
    settled = request_language(asked, voice_language, model_languages)
    if settled is not None:
        return settled
    return text_language(text, [language for language in model_languages if language]) or ENGLISH


# Scripts that name their language outright (the first listed language the model speaks wins).
_SCRIPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"[\u3040-\u30ff]", ("ja",)),  # kana: Japanese, whatever kanji come with it
    (r"[\uac00-\ud7af\u1100-\u11ff]", ("ko",)),
    (r"[\u4e00-\u9fff]", ("zh", "cmn", "yue", "ja")),
    (r"[\u0900-\u097f]", ("hi", "mr", "ne")),
    (r"[\u0980-\u09ff]", ("bn", "as")),
    (r"[\u0b80-\u0bff]", ("ta",)),
    (r"[\u0c00-\u0c7f]", ("te",)),
    (r"[\u0c80-\u0cff]", ("kn",)),
    (r"[\u0d00-\u0d7f]", ("ml",)),
    (r"[\u0a80-\u0aff]", ("gu",)),
    (r"[\u0a00-\u0a7f]", ("pa",)),
    (r"[\u0b00-\u0b7f]", ("or",)),
    (r"[\u0600-\u06ff]", ("ar", "fa", "ur")),
    (r"[\u0590-\u05ff]", ("he",)),
    (r"[\u0e00-\u0e7f]", ("th",)),
    (r"[\u0370-\u03ff]", ("el",)),
    (r"[\u0400-\u04ff]", ("ru", "uk", "bg", "sr")),
)
# The commonest short words of the languages written in Latin letters (and letters only one of them uses).
_COMMON_WORDS = {
    "en": "the and of to is in that it was for with on are this be have not you at by from a an as we he she her his "
    "they our your their into every when can so some very still who its before after would could should will "
    "there what which were has had been i my me us them if or but all one about up out just over more do does "
    "did no yes how where why new good day today",
    "es": "el la los las de que y en un una es por con para se del al lo como más pero yo tú él ella nosotros muy hoy "
    "está estoy son hay tiene buenos días gracias qué cómo su sus mi mis este esta también sí cuando donde "
    "porque todo",
    "pt": "o os de que em um uma é por com para se da dos das na ao mais eu você ele ela nós muito hoje está estou são "
    "tem obrigado bom dia meu minha seu sua também quando onde porque tudo isso isto foi não",
    "fr": "le la les de des et un une est que qui pour dans pas sur au du ce il elle avec nous vous je tu ils elles "
    "allons allez aujourd bonjour comment mais sont très mon ma mes nos votre notre voir être avoir oui non ne "
    "son sa ses leur cette ces tout plus bien",
    "it": "il lo la gli le di che e è un una per con non del della nel sono ma anche io tu lui lei noi voi molto oggi "
    "buongiorno come questo questa grazie siamo hanno ci mi si",
    "de": "der die das und ist nicht ein eine zu den mit von im auf für sich dem des auch wir ich du er sie es wie was "
    "heute gut guten mein dein unser unsere sehr hier bitte danke haben sind wird kann noch nach bei aus um über "
    "nur schon wenn aber oder dir mir ihr",
    "nl": "de het een en van dat niet op te met voor zijn er aan ook als bij ik je jij hij zij wij we ze hebben heeft "
    "was naar maar nog wel goed vandaag",
    "pl": "w na nie się z że jest jak od po ale co za już tak ja ty on ona my wy oni bardzo dzisiaj dzień dobry jestem",
    "tr": "bir ve bu da de için ile çok ne gibi daha olan var mı ama en o ben sen biz siz onlar bugün güzel iyi",
    "sv": "och att det är som en på av för med till den inte har jag om vi ni hon han idag mycket",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada ke adalah saya kami kita hari",
    "vi": "và của là có không được trong cho những một người này với các tôi chúng hôm nay",
}
_WORDS = {language: frozenset(words.split()) for language, words in _COMMON_WORDS.items()}
_LETTERS: dict[str, str] = {
    "es": "ñ¿¡",
    "pt": "ãõ",
    "de": "ßä",
    "fr": "œ",
    "pl": "łąęśźżń",
    "tr": "ğış",
    "nl": "ĳ",
    "it": "",
    "vi": "ơưđ",
    "sv": "å",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def text_language(text: str, among: Sequence[str]) -> str | None:
    """The language of `text`, among the tags `among` (returned as written there; none: every language these signs
    tell), or None where it is none of them by these signs: its script where the script names the language, else its
    commonest words and its letters."""
    by_primary: dict[str, str] = {}
    for tag in among or [*_WORDS, *(language for _, languages in _SCRIPTS for language in languages)]:
        by_primary.setdefault(primary(tag), tag)
    for pattern, languages in _SCRIPTS:
        if re.search(pattern, text):
            found = next((language for language in languages if language in by_primary), None)
            if found is not None:
                return by_primary[found]
            if languages[0] == "zh" and "ja" not in by_primary and "zh" not in by_primary:
                return None
    words = [word.lower() for word in _WORD.findall(text)]
    lowered = text.lower()
    scores: dict[str, float] = {}
    for language in by_primary:
        common = _WORDS.get(language)
        if common is None:
            continue
        scores[language] = sum(word in common for word in words) + 2 * sum(
            lowered.count(letter) for letter in _LETTERS.get(language, "")
        )
    if not scores or max(scores.values()) == 0:
        return None
    best = max(scores.values())
    if scores.get(ENGLISH) == best:  # a tie with English is English: the sandbox's default voice
        return by_primary[ENGLISH]
    return by_primary[max(scores, key=lambda language: scores[language])]


def can_speak(language: str) -> bool:
    """Whether the sandbox has a voice for `language` (English always; others where espeak-ng has one)."""
    if is_english(language):
        return True
    return unavailable_reason(Engine.ESPEAK) is None and espeak_voice(language) is not None


def in_language(rendition: Rendition, language: str | None) -> Rendition:
    """`rendition` speaking `language`: as it is for English (Piper; an espeak-ng voice of a language other than
    English back to Piper), else espeak-ng's voice of that language at the rendition's rate, pitch and pace (the pace
    held within what espeak-ng renders). A language the sandbox cannot speak leaves it as it is (`can_speak` first)."""
    if is_english(language):
        if rendition.engine is Engine.ESPEAK and not is_english(rendition.voice):
            return replace(rendition, engine=Engine.PIPER, voice="")
        return rendition
    if not can_speak(str(language)):
        return rendition
    voice = espeak_voice(str(language))
    assert voice is not None
    return replace(
        rendition,
        engine=Engine.ESPEAK,
        voice=voice,
        length_scale=espeak_pace(rendition.length_scale, rendition.pitch_shift),
    )


def settled_languages(speech: Speech, fallback: str | None, seen: Callable[[str], bool]) -> Speech:
    """`speech` with each voice's language as it will be spoken: the provider's drifted language where its drift says
    it falls back (`fallback`), else the voice's own; a language the sandbox cannot speak becomes English, told to
    `seen` (a finding: True the first time, when one line is logged)."""
    voices = []
    for voice in speech.voices:
        language = fallback if fallback else voice.language
        if language and not can_speak(language):
            if seen(CANNOT_SPEAK.format(language=language)):
                log.warning(CANNOT_SPEAK.format(language=language))
            language = ENGLISH
        voices.append(voice if language == voice.language else replace(voice, language=language))
    return replace(speech, voices=tuple(voices))
