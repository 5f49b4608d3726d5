"""Convert resemblyzer's speaker-encoder weights to the .npz the numpy encoder reads, without torch.

    python -m harness.scoring.speaker_weights [--from SOURCE] [--out FILE] [--check]

SOURCE is a resemblyzer wheel (``pip download resemblyzer==0.1.4 --no-deps``), its ``pretrained.pt``, or
nothing (the installed resemblyzer package). The converted file ships in the package
(``harness/scoring/weights/voice_encoder.npz``), so scoring never needs this command; it is how that file
was made and how anyone can re-make it and check it (``--check`` compares a fresh conversion with it).

``pretrained.pt`` is a checkpoint in torch's legacy (pre-1.6) format: pickled header values, the pickled
checkpoint whose tensors point at storages by key, the list of storage keys, then each storage's raw
bytes (an int64 element count, then the data). The unpickler below resolves only the names that format
uses (an OrderedDict, the tensor rebuild function, float storages): any other global in the file is
refused, so a hostile checkpoint cannot run code.
"""

from __future__ import annotations

import argparse
import io
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from harness.scoring.scoring_errors import ConversionError

WEIGHTS_FILE = Path(__file__).resolve().parent / "weights" / "voice_encoder.npz"
WHEEL_MEMBER = "resemblyzer/pretrained.pt"
#: torch's legacy-format magic number and protocol version.
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001
_STORAGE_DTYPES: dict[str, np.dtype[Any]] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "LongStorage": np.dtype("<i8"),
}
#: The encoder's parameters: a 3-layer LSTM (40 mel channels -> 256) and a linear layer (256 -> 256).
PARAMETERS = (
    *(f"lstm.{kind}_l{layer}" for layer in range(3) for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")),
    "linear.weight",
    "linear.bias",
)


@dataclass(frozen=True, slots=True)
class _TensorRef:
    """A tensor not yet materialised: which storage, where in it, which shape and strides."""

    storage_key: str
    dtype: np.dtype[Any]
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _StorageRef:
    key: str
    dtype: np.dtype[Any]


def _rebuild_tensor(
    storage: _StorageRef, offset: int, shape: tuple[int, ...], stride: tuple[int, ...], *_ignored: Any
) -> _TensorRef:
    return _TensorRef(storage.key, storage.dtype, offset, tuple(shape), tuple(stride))


class _CheckpointUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_DTYPES:
            return name
        raise pickle.UnpicklingError(f"refusing global {module}.{name} in a checkpoint")

    def persistent_load(self, pid: Any) -> _StorageRef:
        # ("storage", storage type, key, device, element count, view metadata)
        if not isinstance(pid, tuple) or len(pid) < 3 or pid[0] != "storage" or pid[1] not in _STORAGE_DTYPES:
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        return _StorageRef(str(pid[2]), _STORAGE_DTYPES[str(pid[1])])


def _load(stream: IO[bytes]) -> Any:
    try:
        return _CheckpointUnpickler(stream).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        raise ConversionError(f"not a readable resemblyzer checkpoint: {error}") from None


def read_legacy_checkpoint(stream: IO[bytes]) -> tuple[Any, dict[str, npt.NDArray[Any]]]:
    """The unpickled checkpoint (tensors as `_TensorRef`) and every storage as a flat array, by key."""
    # Every pickle in the file, header values included, goes through the restricted unpickler.
    if _load(stream) != _LEGACY_MAGIC:
        raise ConversionError("not a torch legacy-format checkpoint (wrong magic number)")
    if _load(stream) != _LEGACY_PROTOCOL:
        raise ConversionError("unsupported torch checkpoint protocol")
    system = _load(stream)
    if not isinstance(system, dict) or not system.get("little_endian", False):
        raise ConversionError("only little-endian checkpoints are supported")
    checkpoint = _load(stream)
    keys = _load(stream)
    dtypes = _storage_dtypes(checkpoint)
    storages: dict[str, npt.NDArray[Any]] = {}
    for key in keys:
        (count,) = struct.unpack("<q", stream.read(8))
        dtype = dtypes.get(str(key), np.dtype("<f4"))
        data = stream.read(count * dtype.itemsize)
        if len(data) != count * dtype.itemsize:
            raise ConversionError(f"checkpoint truncated in storage {key}")
        storages[str(key)] = np.frombuffer(data, dtype=dtype)
    return checkpoint, storages


def _storage_dtypes(value: Any) -> dict[str, np.dtype[Any]]:
    found: dict[str, np.dtype[Any]] = {}
    if isinstance(value, _TensorRef):
        found[value.storage_key] = value.dtype
    elif isinstance(value, dict):
        for item in value.values():
            found |= _storage_dtypes(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= _storage_dtypes(item)
    return found


def _materialise(ref: _TensorRef, storages: dict[str, npt.NDArray[Any]]) -> npt.NDArray[np.float32]:
    flat = storages[ref.storage_key]
    itemsize = flat.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(
        flat[ref.offset :], shape=ref.shape, strides=tuple(step * itemsize for step in ref.stride), writeable=False
    )
    return np.array(view, dtype=np.float32)


def encoder_weights(stream: IO[bytes]) -> dict[str, npt.NDArray[np.float32]]:
    """The speaker encoder's parameters from a resemblyzer checkpoint, as float32 arrays."""
    checkpoint, storages = read_legacy_checkpoint(stream)
    state = checkpoint.get("model_state") if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise ConversionError("checkpoint has no model_state")
    missing = [name for name in PARAMETERS if not isinstance(state.get(name), _TensorRef)]
    if missing:
        raise ConversionError(f"checkpoint lacks encoder parameters: {', '.join(missing)}")
    return {name: _materialise(state[name], storages) for name in PARAMETERS}


def open_source(source: Path | None) -> IO[bytes]:
    """The checkpoint bytes from a wheel, a .pt file, or the installed resemblyzer package."""
    if source is None:
        import importlib.util

        spec = importlib.util.find_spec("resemblyzer")
        if spec is None or spec.origin is None:
            raise ConversionError(
                "resemblyzer is not installed; pass --from a resemblyzer wheel "
                "(pip download resemblyzer==0.1.4 --no-deps) or its pretrained.pt"
            )
        source = Path(spec.origin).parent / "pretrained.pt"
    if not source.is_file():
        raise ConversionError(f"{source}: no such file")
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as wheel:
            try:
                return io.BytesIO(wheel.read(WHEEL_MEMBER))
            except KeyError:
                raise ConversionError(f"{source} has no {WHEEL_MEMBER}; is it a resemblyzer wheel?") from None
    return io.BytesIO(source.read_bytes())


def convert(source: Path | None, out: Path) -> dict[str, npt.NDArray[np.float32]]:
    with open_source(source) as stream:
        weights = encoder_weights(stream)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **weights)  # type: ignore[arg-type]
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.scoring.speaker_weights",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="a resemblyzer wheel or pretrained.pt (default: the installed resemblyzer)",
    )
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE, help=f"output .npz (default {WEIGHTS_FILE})")
    parser.add_argument("--check", action="store_true", help="compare a fresh conversion with --out")
    args = parser.parse_args(argv)
    try:
        if args.check:
            with open_source(args.source) as stream:
                fresh = encoder_weights(stream)
            with np.load(args.out) as stored:
                differ = [name for name in PARAMETERS if not np.array_equal(stored[name], fresh[name])]
            for name in differ:
                print(f"{args.out}: {name} differs from a fresh conversion", file=sys.stderr)
            print(f"{len(PARAMETERS) - len(differ)}/{len(PARAMETERS)} parameters match")
            return 1 if differ else 0
        weights = convert(args.source, args.out)
    except (ConversionError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    total = sum(array.size for array in weights.values())
    print(f"wrote {args.out}: {len(weights)} arrays, {total:,} parameters ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
