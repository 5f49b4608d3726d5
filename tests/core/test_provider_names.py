"""Only `harness/providers/` names a provider (ARCHITECTURE.md, "Layers", rule 1; issue 45's goal).

The names are the registry's, not a frozen list: every provider registered by the harness itself (its
`tts_harness.providers` entry points), so a new built-in provider is covered the day it is added. A module
names a provider when

- code (an identifier or a string literal) holds the provider's name as a word (`together`, `openai_voices`,
  `"pixazo"`), in any case; or
- prose (a comment or a docstring) writes the name with a capital letter (`Together's`, `ElevenLabs`, `TTS.ai`,
  `DashScope`), or its title's first word as the title spells it (`Amazon`, `Alibaba`): in prose a provider is
  a proper noun, and `together`, `fish` or `smallest` in lower case are English.

A library named after a provider is not the provider (`openai-whisper`, the speech recognizer;
`google.protobuf`, Protocol Buffers): `whisper` or `.protobuf` right after the name excludes it.

The core names none. Elsewhere the names still written are a ratchet (`STILL_NAMED`, module -> lines): a module
not listed may name none, a listed one no more lines than it says, and a listed module that no longer names one
must leave the list, so the count only falls toward the goal of none.
"""

from __future__ import annotations

import io
import re
import token
import tokenize
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from harness.core.registry import ENTRY_POINT_GROUP

HARNESS = Path(__file__).resolve().parents[2] / "harness"
PROVIDERS = HARNESS / "providers"
NOT_THE_PROVIDER = r"(?![-_ ]?whisper)(?!\.protobuf)"  # openai-whisper: the recognizer; google.protobuf: libraries

# Modules outside harness/providers/ that still name a provider, by the lines that do (issue 45: to be none).
STILL_NAMED: dict[str, int] = {}


@cache
def _built_in() -> dict[str, str]:
    """The harness's own providers: name -> title, read through the registry's entry points."""
    found = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.value.startswith("harness.providers."):
            found[entry.name] = entry.load().title
    assert found, "no built-in provider registered: is the harness installed (pip install -e .)?"
    return found


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = sorted(_built_in(), key=len, reverse=True)
    brands = sorted({title.split()[0] for title in _built_in().values()}, key=len, reverse=True)
    code = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9])" + NOT_THE_PROVIDER,
                      re.IGNORECASE)
    # Prose: a name written with a capital letter anywhere in it, or a title's first word as spelled there.
    capitalised = "|".join(f"(?i:{re.escape(name)})" for name in names)
    prose = re.compile(r"(?<![A-Za-z0-9])(?:(?=[a-z.]*[A-Z])(?:" + capitalised + r")|"
                       + "|".join(map(re.escape, brands)) + r")(?![A-Za-z0-9])" + NOT_THE_PROVIDER)
    return code, prose


def naming_lines(source: str) -> set[int]:
    """The lines of `source` that name a provider (the module docstring's rule)."""
    code, prose = _patterns()
    lines: set[int] = set()
    previous = token.NEWLINE
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            pattern = prose
        elif tok.type == tokenize.STRING:
            # A string standing as a statement is a docstring: prose. Any other string is code.
            pattern = prose if previous in (token.NEWLINE, token.INDENT, token.DEDENT, tokenize.NL) else code
        elif tok.type == tokenize.NAME:
            pattern = code
        else:
            if tok.type not in (tokenize.NL, tokenize.COMMENT):
                previous = tok.type
            continue
        if tok.type != tokenize.COMMENT:
            previous = tok.type
        # A name is read with the dotted path it starts (`google.protobuf`), so a library's package is told apart.
        texts = ([tok.string + re.sub(r"[^.\w].*", "", tok.line[tok.end[1]:], flags=re.S)] if tok.type == tokenize.NAME
                 else tok.string.splitlines() or [""])
        for offset, text in enumerate(texts):
            if pattern.search(text):
                lines.add(tok.start[0] + offset)
    return lines


def _outside_providers() -> dict[str, int]:
    found = {}
    for path in sorted(HARNESS.rglob("*.py")):
        if PROVIDERS in path.parents:
            continue
        count = len(naming_lines(path.read_text(encoding="utf-8")))
        if count:
            found[str(path.relative_to(HARNESS.parent))] = count
    return found


def test_the_rule_tells_a_provider_from_english_and_from_a_library() -> None:
    source = '''"""A docstring about Together's socket and ElevenLabs' marks."""
# run the two together, then smallest first
openai_voices = ["pixazo"]
import_name = "openai-whisper"
from google.protobuf import message
'''
    assert naming_lines(source) == {1, 3}


def test_the_core_names_no_provider() -> None:
    found = {module: count for module, count in _outside_providers().items() if module.startswith("harness/core/")}
    assert not found, found


def test_modules_outside_the_providers_name_none_beyond_the_ratchet() -> None:
    found = _outside_providers()
    grown = {m: (n, STILL_NAMED.get(m, 0)) for m, n in found.items() if n > STILL_NAMED.get(m, 0)}
    assert not grown, f"module: (lines naming a provider, allowed): {grown}"
    cleaned = sorted(set(STILL_NAMED) - set(found))
    assert not cleaned, f"these no longer name a provider: take them out of STILL_NAMED: {cleaned}"
