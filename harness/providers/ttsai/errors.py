"""TTS.ai's error body, one model per HTTP status, so a status and its `error.code` must agree.

The document says every error is `{"error": {"code", "message", ...}}` and gives one code per
status (400 bad_request … 503 model_loading). Each status gets a model whose `code` is that single
Literal: a 402 that says "not_found" is a violation at `/error/code`. Extra fields inside `error`
(the 402 example's `characters_required`) are kept; undeclared ones are reported as drift.

The table is global, so each endpoint picks the statuses that can apply to it (see `error_responses`
callers): 401/403 where a key is needed, 402 where characters are spent, 404 where a model, voice or
id is looked up, 413 where a file is uploaded, 503 where a model runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, create_model

from harness.core.spec import JsonBody, Response, ResponseModel


class ErrorDetail(ResponseModel):
    """The `error` object of any status: the provider-wide shape (`Provider.error_model`)."""

    code: str
    message: str


class ErrorBody(ResponseModel):
    error: ErrorDetail


class BadRequestDetail(ErrorDetail):
    code: Literal["bad_request"]


class UnauthorizedDetail(ErrorDetail):
    code: Literal["unauthorized"]


class InsufficientCreditsDetail(ErrorDetail):
    code: Literal["insufficient_credits"]
    characters_required: int | None = None  # in the document's error example
    characters_available: int | None = None


class ForbiddenDetail(ErrorDetail):
    code: Literal["forbidden"]


class NotFoundDetail(ErrorDetail):
    code: Literal["not_found"]


class FileTooLargeDetail(ErrorDetail):
    code: Literal["file_too_large"]


class RateLimitedDetail(ErrorDetail):
    code: Literal["rate_limited"]


class InternalErrorDetail(ErrorDetail):
    code: Literal["internal_error"]


class ModelLoadingDetail(ErrorDetail):
    code: Literal["model_loading"]


# status -> (detail model, code, the document's description)
_TABLE: Mapping[int, tuple[type[ErrorDetail], str, str]] = {
    400: (BadRequestDetail, "bad_request", "Invalid request parameters"),
    401: (UnauthorizedDetail, "unauthorized", "Missing or invalid API key"),
    402: (InsufficientCreditsDetail, "insufficient_credits", "Not enough characters"),
    403: (ForbiddenDetail, "forbidden", "API access not available on your plan"),
    404: (NotFoundDetail, "not_found", "Model or voice not found"),
    413: (FileTooLargeDetail, "file_too_large", "Uploaded file exceeds the size limit"),
    429: (RateLimitedDetail, "rate_limited", "Too many requests; check the rate limit headers"),
    500: (InternalErrorDetail, "internal_error", "Server error; try again later"),
    503: (ModelLoadingDetail, "model_loading", "Model is loading; retry in a few seconds"),
}

ERROR_CODES: Mapping[int, str] = {status: code for status, (_, code, _) in _TABLE.items()}


def _body_model(status: int, detail: type[ErrorDetail]) -> type[BaseModel]:
    return create_model(f"Error{status}Body", __base__=ResponseModel, error=(detail, ...))


ERROR_MODELS: Mapping[int, type[BaseModel]] = {
    status: _body_model(status, detail) for status, (detail, _, _) in _TABLE.items()
}

# The statuses each kind of endpoint can meet (the choice is explained in the module docstring).
KEYED = (400, 401, 403, 429, 500)  # any endpoint that takes a key and parameters
CHARGED = (*KEYED, 402)
MODEL_RUN = (*CHARGED, 404, 503)  # runs a named model or voice
UPLOAD_RUN = (*MODEL_RUN, 413)


def error_responses(*statuses: int) -> tuple[Response, ...]:
    """The documented error answers for the given statuses, in ascending order."""
    unknown = sorted(set(statuses) - set(_TABLE))
    if unknown:
        raise ValueError(f"statuses {unknown} are not in the document's error table {sorted(_TABLE)}")
    return tuple(
        Response(status, (JsonBody(ERROR_MODELS[status]),), f"{_TABLE[status][1]}: {_TABLE[status][2]}")
        for status in sorted(set(statuses))
    )
