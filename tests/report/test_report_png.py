"""The README's picture is the report as it is: docs/make_report_png.py made it from a real run, and the
fingerprint it wrote into the PNG is that of the template, styles, columns and charts in this checkout.
A change to any of them fails here until `python docs/make_report_png.py` has made the picture again."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_report_png", REPO / "docs" / "make_report_png.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_the_generated_picture() -> None:
    assert "![A generated report](docs/report.png)" in (REPO / "README.md").read_text(encoding="utf-8")
    script = _script()
    made_from = script.text_chunk(script.PICTURE.read_bytes(), script.KEYWORD)
    assert made_from is not None, "docs/report.png was not made by docs/make_report_png.py: run it"
    assert made_from == script.fingerprint(), (
        "the report changed since docs/report.png was made: run python docs/make_report_png.py"
    )


def test_the_text_chunk_round_trips() -> None:
    script = _script()
    png = script.PICTURE.read_bytes()
    marked = script.with_text_chunk(png, b"probe", "value")
    assert marked.startswith(b"\x89PNG\r\n\x1a\n") and script.text_chunk(marked, b"probe") == "value"
