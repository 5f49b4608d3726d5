"""The multilingual read corpora (`<lang>_read`, issue 60): 30 sentences each of natural read speech, 8 to 25 words,
in the script of their language, with no digits, unique ids, every item tagged with the corpus' language.

Words are counted as a reader would: whitespace-separated tokens holding a letter (an apostrophe or hyphen joins a
word), and for Chinese and Japanese, written without spaces, the letters (CJK characters and kana) divided by two.
"""

from __future__ import annotations

import unicodedata

import pytest

from harness.core.corpora import available, load_corpus

READ_LANGUAGES = ("es", "de", "fr", "it", "pt", "nl", "pl", "ru", "tr", "hi", "ar", "ja", "zh", "ko")
UNSPACED = frozenset({"zh", "ja"})
# The script a language's letters are in (a word of the Unicode character name), and letters only it uses among
# the corpora (so a file tagged with its neighbour's language cannot pass).
SCRIPT = {"ru": "CYRILLIC", "hi": "DEVANAGARI", "ar": "ARABIC", "ko": "HANGUL", "zh": "CJK", "ja": "CJK"}
OWN_LETTERS = {
    "es": "ñ¿",
    "de": "ßä",
    "fr": "çè",
    "it": "ò",
    "pt": "ãç",
    "nl": "ij",
    "pl": "łąę",
    "tr": "ığş",
    "ja": "のをは",
}


def words(text: str, language: str) -> float:
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    if language in UNSPACED:
        return len(letters) / 2
    return sum(1 for token in text.split() if any(unicodedata.category(c).startswith("L") for c in token))


@pytest.mark.parametrize("language", READ_LANGUAGES)
def test_each_read_corpus_is_thirty_sentences_of_its_language(language: str) -> None:
    assert f"{language}_read" in available()
    corpus = load_corpus(f"{language}_read")
    assert (corpus.name, corpus.language, len(corpus.items)) == (f"{language}_read", language, 30)
    assert len({item.id for item in corpus.items}) == 30
    assert len({item.text for item in corpus.items}) == 30
    for item in corpus.items:
        assert item.language == language, item.id
        assert 8 <= words(item.text, language) <= 25, (item.id, words(item.text, language), item.text)
        assert not any(c.isdigit() for c in item.text), item.id
        letters = [c for c in item.text if unicodedata.category(c).startswith("L")]
        script = SCRIPT.get(language, "LATIN")
        kana = ("HIRAGANA", "KATAKANA") if language == "ja" else ()
        foreign = [
            c
            for c in letters
            if script not in unicodedata.name(c) and not any(name in unicodedata.name(c) for name in kana)
        ]
        assert not foreign, (item.id, foreign)
    text = " ".join(item.text for item in corpus.items)
    assert all(any(letter in text for letter in group) for group in [OWN_LETTERS.get(language, "")] if group)


def test_the_old_short_corpora_still_load() -> None:
    for name in ("es_short", "de_short", "fr_short", "ja_short", "zh_short"):
        corpus = load_corpus(name)
        assert corpus.items and corpus.name == name


def test_twelve_languages_or_more_are_shipped() -> None:
    read = {name.removesuffix("_read") for name in available() if name.endswith("_read") and name != "en_read"}
    assert len(read) >= 12 and set(READ_LANGUAGES) <= read
