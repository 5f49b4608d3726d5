"""openai-whisper backend: the reference implementation the design card names, one clip at a time.

Models load by checkpoint path, or by name from openai-whisper's download cache (downloading where a hub
is reachable). ``tiny.en`` works offline here: when no downloaded checkpoint exists, the shipped
CTranslate2 tiny.en is converted once into the harness cache (see ``ct2_convert``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.scoring.asr.base import (
    DEFAULT_MODEL,
    AsrBackendName,
    DecodingSettings,
    Transcript,
    cache_root,
    english_only,
)
from harness.scoring.asr.models import content_id, shipped_tiny_en
from harness.scoring.asr.spoken_form import written_form_tokens
from harness.scoring.audio import FloatArray
from harness.scoring.lazy import LazyModel
from harness.scoring.scoring_errors import AsrBackendError, ModelNotFoundError


def shipped_tiny_en_checkpoint() -> Path:
    """An openai-whisper checkpoint of the shipped tiny.en, converted on first use."""
    from harness.scoring.asr.ct2_convert import convert_ct2_to_whisper

    source = shipped_tiny_en()
    digest = content_id(source / "model.bin", DEFAULT_MODEL).split("#", 1)[1]
    target = cache_root() / "openai-whisper" / f"{DEFAULT_MODEL}-ct2-{digest}.pt"
    if not target.is_file():
        convert_ct2_to_whisper(source, target)
    return target


class OpenAIWhisperBackend:
    """Whisper through openai-whisper and torch on the CPU (fp32)."""

    def __init__(self, model: str = DEFAULT_MODEL, settings: DecodingSettings | None = None) -> None:
        self._spec = model
        self._settings = settings or DecodingSettings()
        self._lazy: LazyModel[Any] = LazyModel(self._build, extra="score-heavy")
        path = Path(model).expanduser()
        self._path = path if path.is_file() else None
        self._model_id = content_id(path, path.stem) if self._path else model

    @property
    def name(self) -> AsrBackendName:
        return AsrBackendName.OPENAI_WHISPER

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def spec(self) -> str:
        return self._spec

    @property
    def settings(self) -> DecodingSettings:
        return self._settings

    def supports_language(self, language: str) -> bool:
        if language == "en":
            return True
        if english_only(Path(self._spec).name):
            return False
        return bool(self._lazy.get().is_multilingual)

    def _checkpoint(self) -> Path | str:
        if self._path is not None:
            return self._path
        import whisper

        if self._spec not in whisper.available_models():
            raise ModelNotFoundError(
                f"expected an openai-whisper model name ({', '.join(whisper.available_models())}) "
                f"or a checkpoint file, got {self._spec!r}"
            )
        download_root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
        downloaded = download_root / f"{self._spec}.pt"
        if downloaded.is_file():
            return downloaded
        if self._spec == DEFAULT_MODEL:
            return shipped_tiny_en_checkpoint()
        return self._spec  # whisper.load_model downloads it where a hub is reachable

    def load(self) -> None:
        self._lazy.get()

    def _build(self) -> Any:
        import torch
        import whisper

        torch.set_num_threads(self._settings.cpu_threads)
        checkpoint = self._checkpoint()
        try:
            if isinstance(checkpoint, Path):
                return _load_checkpoint(checkpoint)
            return whisper.load_model(checkpoint, device="cpu")
        except (RuntimeError, OSError, KeyError, ValueError) as exc:
            raise AsrBackendError(f"openai-whisper could not load {checkpoint}: {exc}") from exc

    def _suppressed(self, model: Any) -> str:
        """Whisper's own suppressed tokens ("-1"), and in spoken-form decoding every written-form token."""
        if not self._settings.spoken_form:
            return "-1"
        from whisper.tokenizer import get_tokenizer

        tokenizer = get_tokenizer(model.is_multilingual, num_languages=model.num_languages)
        return ",".join(map(str, (-1, *written_form_tokens(tokenizer, self.model_id))))

    def transcribe(self, audio: Sequence[FloatArray], language: str) -> list[str]:
        model = self._lazy.get()
        texts = []
        for clip in audio:
            if len(clip) == 0:
                texts.append("")
                continue
            try:
                result = model.transcribe(
                    clip,
                    language=language,
                    task="transcribe",
                    temperature=self._settings.temperature,
                    beam_size=self._settings.beam_size,
                    without_timestamps=True,
                    condition_on_previous_text=False,
                    fp16=False,
                    verbose=None,
                    suppress_tokens=self._suppressed(model),
                )
            except (RuntimeError, ValueError) as exc:
                raise AsrBackendError(f"openai-whisper failed on a clip: {exc}") from exc
            texts.append(str(result["text"]).strip())
        return texts

    def transcribe_heard(self, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        texts = self.transcribe(audio, language)
        model = self._lazy.get()
        if not model.is_multilingual:
            return [Transcript(text) for text in texts]
        import whisper

        heard = []
        for clip, text in zip(audio, texts, strict=True):
            if len(clip) == 0:
                heard.append(Transcript(text))
                continue
            mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(clip), model.dims.n_mels)
            _tokens, probabilities = whisper.detect_language(model, mel)
            language_heard = max(probabilities, key=probabilities.get)
            heard.append(Transcript(text, str(language_heard), float(probabilities[language_heard])))
        return heard


def _load_checkpoint(path: Path) -> Any:
    """Build the model from a checkpoint file, applying alignment heads a converted file carries."""
    import numpy as np
    import torch
    from whisper.model import ModelDimensions, Whisper

    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model = Whisper(ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(checkpoint["model_state_dict"])
    heads = checkpoint.get("alignment_heads") or []
    if heads:
        mask = np.zeros((model.dims.n_text_layer, model.dims.n_text_head), dtype=bool)
        for layer, head in heads:
            mask[layer, head] = True
        model.register_buffer("alignment_heads", torch.from_numpy(mask).to_sparse(), persistent=False)
    return model.to("cpu")
