"""Model resolution (shipped, folder, split parts) and the CTranslate2 reader, without torch."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from harness.scoring import ConversionError, ModelNotFoundError
from harness.scoring.asr.ct2_convert import read_ct2_model, to_whisper_checkpoint
from harness.scoring.asr.models import resolve_ct2_model, shipped_tiny_en

TINY_EN_DIMS = {
    "n_mels": 80,
    "n_audio_ctx": 1500,
    "n_audio_state": 384,
    "n_audio_head": 6,
    "n_audio_layer": 4,
    "n_vocab": 51864,
    "n_text_ctx": 448,
    "n_text_state": 384,
    "n_text_head": 6,
    "n_text_layer": 4,
}


def _string(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def _variable(name: str, array: np.ndarray, code: int) -> bytes:
    head = _string(name) + struct.pack("<B", array.ndim) + b"".join(struct.pack("<I", d) for d in array.shape)
    data = array.tobytes()
    return head + struct.pack("<B", code) + struct.pack("<I", len(data)) + data


def _model_bin(variables: list[bytes], version: int = 6, spec: str = "WhisperSpec") -> bytes:
    header = struct.pack("<I", version) + _string(spec) + struct.pack("<I", 3) + struct.pack("<I", len(variables))
    return header + b"".join(variables) + struct.pack("<I", 0)


def test_tiny_en_resolves_to_the_shipped_package() -> None:
    model = resolve_ct2_model("tiny.en")
    assert model.model_id.startswith("tiny.en#") and len(model.model_id) == len("tiny.en#") + 12
    assert (model.path / "model.bin").is_file() and model.path == shipped_tiny_en()


def test_a_model_folder_is_named_by_its_content(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"weights")
    first = resolve_ct2_model(str(tmp_path))
    assert first.path == tmp_path and first.model_id.startswith(f"{tmp_path.name}#")
    (tmp_path / "model.bin").write_bytes(b"other weights")
    assert resolve_ct2_model(str(tmp_path)).model_id != first.model_id


def test_split_parts_from_two_packages_are_assembled_once(tmp_path: Path) -> None:
    one, two = tmp_path / "pkg1" / "data", tmp_path / "pkg2" / "data"
    one.mkdir(parents=True)
    two.mkdir(parents=True)
    (one / "model.bin.part1").write_bytes(b"first-")
    (two / "model.bin.part2").write_bytes(b"second")
    (two / "config.json").write_text("{}")
    (two / "tokenizer.json").write_text("{}")
    model = resolve_ct2_model(f"{one}:{two}")
    assert (model.path / "model.bin").read_bytes() == b"first-second"
    assert (model.path / "tokenizer.json").is_file()
    assert resolve_ct2_model(f"{one}:{two}") == model


def test_unusable_model_specs_say_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="not a folder"):
        resolve_ct2_model(str(tmp_path / "missing"))
    (tmp_path / "model.bin.part2").write_bytes(b"x")
    with pytest.raises(ModelNotFoundError, match="parts"):
        resolve_ct2_model(str(tmp_path))


def test_reading_tiny_en_gives_openai_whisper_names_and_dimensions() -> None:
    weights = read_ct2_model(shipped_tiny_en() / "model.bin")
    checkpoint = to_whisper_checkpoint(weights, {"alignment_heads": [[2, 0], [3, 1]]})
    assert checkpoint.dims == TINY_EN_DIMS
    state = checkpoint.state
    assert state["encoder.blocks.0.attn.query.weight"].shape == (384, 384)
    assert "encoder.blocks.0.attn.key.bias" not in state  # openai-whisper's key has no bias
    assert state["decoder.blocks.3.cross_attn.value.weight"].shape == (384, 384)
    assert state["decoder.token_embedding.weight"].shape == (51864, 384)
    assert {"encoder.ln_post.weight", "decoder.ln.bias", "decoder.positional_embedding"} <= set(state)
    # 15 tensors per encoder block, 24 per decoder block (cross-attention), 7 + 4 outside the blocks;
    # the heavy test loads them into openai-whisper with strict=True.
    assert len(state) == 4 * 15 + 4 * 24 + 7 + 4
    assert checkpoint.alignment_heads == [[2, 0], [3, 1]]


def test_int8_weights_are_dequantized_with_their_scales(tmp_path: Path) -> None:
    quantized = np.array([[127, -127], [64, 0]], dtype=np.int8)
    scale = np.array([127.0, 64.0], dtype=np.float32)  # q = w * scale
    path = tmp_path / "model.bin"
    path.write_bytes(
        _model_bin(
            [
                _variable("encoder/layer_0/ffn/linear_0/weight", quantized, 1),
                _variable("encoder/layer_0/ffn/linear_0/weight_scale", scale, 0),
            ]
        )
    )
    weights = read_ct2_model(path)
    assert set(weights.variables) == {"encoder/layer_0/ffn/linear_0/weight"}
    np.testing.assert_allclose(weights.variables["encoder/layer_0/ffn/linear_0/weight"], [[1, -1], [1, 0]])


def test_foreign_or_damaged_model_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(_model_bin([], version=2))
    with pytest.raises(ConversionError, match="version"):
        read_ct2_model(path)
    path.write_bytes(_model_bin([_variable("encoder/x", np.zeros(2, np.float32), 0)], spec="TransformerSpec"))
    with pytest.raises(ConversionError, match="WhisperSpec"):
        to_whisper_checkpoint(read_ct2_model(path))
    path.write_bytes(_model_bin([_variable("encoder/conv1/weight", np.zeros(4, np.float32), 0)])[:-10])
    with pytest.raises(ConversionError, match="ends early"):
        read_ct2_model(path)
    path.write_bytes(_model_bin([_variable("encoder/mystery/weight", np.zeros(2, np.float32), 0)]))
    with pytest.raises(ConversionError, match="no openai-whisper counterpart"):
        to_whisper_checkpoint(read_ct2_model(path))
