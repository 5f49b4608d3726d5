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

No module outside `harness/providers/` names one: not the core, the engines (a provider's own emulation is
in its package, `harness/providers/<name>/emulation/`), the use case or the faces, the contract suite included.
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
    code = re.compile(
        r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9])" + NOT_THE_PROVIDER, re.IGNORECASE
    )
    # Prose: a name written with a capital letter anywhere in it, or a title's first word as spelled there.
    capitalised = "|".join(f"(?i:{re.escape(name)})" for name in names)
    prose = re.compile(
        r"(?<![A-Za-z0-9])(?:(?=[a-z.]*[A-Z])(?:"
        + capitalised
        + r")|"
        + "|".join(map(re.escape, brands))
        + r")(?![A-Za-z0-9])"
        + NOT_THE_PROVIDER
    )
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
        texts = (
            [tok.string + re.sub(r"[^.\w].*", "", tok.line[tok.end[1] :], flags=re.S)]
            if tok.type == tokenize.NAME
            else tok.string.splitlines() or [""]
        )
        for offset, text in enumerate(texts):
            if pattern.search(text):
                lines.add(tok.start[0] + offset)
    return lines


def _naming(inside_providers: bool) -> dict[str, int]:
    """Modules of the harness (inside `harness/providers/` or outside it) that name a provider, by the number
    of lines that do."""
    found = {}
    for path in sorted(HARNESS.rglob("*.py")):
        if (PROVIDERS in path.parents) != inside_providers:
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


def test_the_scan_finds_every_provider_named_in_its_own_package() -> None:
    """The rule reads the real tree: each provider's package names it (its `name=`, its title)."""
    named = _naming(inside_providers=True)
    unnamed = sorted(name for name in _built_in() if not any(m.startswith(f"harness/providers/{name}/") for m in named))
    assert not unnamed, unnamed


def test_no_module_outside_the_providers_names_one() -> None:
    found = _naming(inside_providers=False)
    assert not found, f"module: lines naming a provider (move the provider's own code into its package): {found}"
