"""How a reading is written for the model: the text whose likelihood stands for the reading's.

A reading is words ("u s", "nasa", "world war two"); the model scores text, and how the text is written matters:
a lone letter in lowercase ("v two") is a word to Whisper, so letters said one by one are written as capitals.
The rule (`written`):

- words in lowercase, as the grammar writes them ("world war two", "nasa", "doctor patel"), but the names English
  always writes with a capital, the months and the days of the week (`grammar.PROPER_NAMES`), with it: "March
  ninth". In lowercase "march" is the verb, after which tiny.en finds the ordinal "ninth" unlikely: a right "March
  ninth, twenty twenty seven" was 1.46 nats likelier than the generated cardinal "march nine" (unsure), and 3.73
  written "March"; where the cardinal was said, the ordinal lost by 4.40 and by 2.35 nats (a fail either way);
- letters said one by one (a one-letter word; a lone "a" only beside another one-letter word, else it is the
  article) as spaced capitals: "at ten A M", "the U S economy", "N A S A".

A reading that says two or three letters in a row is also written with those letters as dotted capitals ("at ten
A.M.", "the U.S. economy", "the M.I.A. list": `writings`), and is as likely as its likelier writing: Whisper writes
a time's "a.m." and many initialisms with dots, and spaced capitals alone left a right "A M" within 3 nats of the
word "am" (17 of the self-test's 77 right times with "a.m." unsure or failed; with the dotted writing none, and no
wrong reading of any category moved to a pass: docs/hard-text.md). The free transcript's readings and the
beam search's prefixes keep the one writing.

It was chosen by measurement (docs/hard-text.md, "How a reading is written"): over 744 renders of en_hard, other
writings, each reading scored by its likeliest — letters joined ("US"), words as the span writes them ("NASA",
"Henry") — put more renders on the wrong side, with tiny.en and with base, even where no two readings of an item
were given one writing (which would make it ambiguous: "IT" is how Whisper writes both "it" and "i t"). Joined
capitals are how Whisper writes an acronym said as a word too, so they favour the letters whatever was said (with
them 29 of 40 right acronyms of the full self-test lost their pass); the span's capitals do the same for the word.
Dotted letters put no render on the wrong side there, and within the margins they are what a right "A M" needs.
"""

from __future__ import annotations

from harness.core.hard_text.grammar import PROPER_NAMES, Reading


def letter_positions(reading: Reading) -> set[int]:
    """The words of the reading that are letters said one by one: a one-letter word, but a lone "a" (the
    article) unless another one-letter word stands beside it ("a m", "n a s a")."""
    letters = set()
    for index, word in enumerate(reading):
        if len(word) != 1:
            continue
        beside = any(0 <= other < len(reading) and len(reading[other]) == 1 for other in (index - 1, index + 1))
        if word != "a" or beside:
            letters.add(index)
    return letters


def written(reading: Reading) -> str:
    """The reading as the model is asked about it (the module's rule)."""
    letters = letter_positions(reading)
    return " ".join(word.upper() if index in letters else _word(word) for index, word in enumerate(reading))


def _word(word: str) -> str:
    """A word that is not a letter said alone, as it is written: lowercase, a proper name with its capital."""
    return word.capitalize() if word in PROPER_NAMES else word


# The runs of letters said one by one that are also written dotted: as long as the initialisms Whisper dots.
DOTTED_RUNS = range(2, 4)


def writings(reading: Reading) -> tuple[str, ...]:
    """Every writing a listed reading is scored by (the likeliest counts): `written`, then, where the reading says
    two or three letters in a row, the same with each such run as dotted capitals ("A.M.", "U.S.")."""
    letters = letter_positions(reading)
    pieces: list[str] = []
    run: list[str] = []
    for index, word in enumerate((*reading, None)):
        if word is not None and index in letters:
            run.append(word.upper())
            continue
        if run:
            pieces.append("".join(f"{letter}." for letter in run) if len(run) in DOTTED_RUNS else " ".join(run))
            run = []
        if word is not None:
            pieces.append(_word(word))
    dotted = " ".join(pieces)
    plain = written(reading)
    return (plain,) if dotted == plain else (plain, dotted)
