"""Where the data the harness ships lives: `harness/data/`, package data found through importlib.resources.

Everything a run needs beyond code is here, so an installed wheel works in an empty folder: the benchmark's
corpora (`corpora/`), the reference voices (`voices/`), and the built-in providers' contract fixtures
(`fixtures/`: the document catalogues `docs/`, the recorded `scenarios/` and their `media/`). The
repository's `benchmarks/corpora` and `fixtures/{docs,scenarios,media,voices}` are links to these folders.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CORPORA = "corpora"
VOICES = "voices"
FIXTURES = "fixtures"
PRICES = "prices"  # the built-in providers' price sheets (harness.core.prices)


def data_path(*parts: str) -> Path:
    """A folder or file of the shipped data as a filesystem path. pip installs a wheel unpacked, so the
    resource is a real file; a zipped install (no path to hand to respx, soundfile or a subprocess) is
    refused in words rather than failing later on a missing file."""
    resource = files("harness").joinpath("data", *parts)
    if not isinstance(resource, Path):
        raise RuntimeError(f"tts-harness must be installed unpacked (pip install), not run from {resource}")
    return resource


def in_source_checkout() -> bool:
    """Whether the harness runs from its own source tree (an editable install of the repository), where the
    built-in providers' recordings are the repository's files; otherwise they are an installed package's."""
    root = Path(str(files("harness"))).parent
    project = root / "pyproject.toml"
    try:
        return project.is_file() and 'name = "tts-harness"' in project.read_text(encoding="utf-8")
    except OSError:
        return False
