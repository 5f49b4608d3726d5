"""TTS.ai's error body, one model per HTTP status, so a status and its `error.code` must agree.

The document says every error is `{"error": {"code", "message", ...}}` and gives one code per
status (400 bad_request … 503 model_loading). Each status gets a model whose `code` is that single
Literal: a 402 that says "not_found" is a violation at `/error/code`. Extra fields inside `error`
(the 402 example's `characters_required`) are kept; undeclared ones are reported as drift. Which
statuses each endpoint can meet is chosen in `endpoints.shared`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, create_model

from harness.core.spec import ResponseModel


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
ERROR_TABLE: Mapping[int, tuple[type[ErrorDetail], str, str]] = {
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

ERROR_CODES: Mapping[int, str] = {status: code for status, (_, code, _) in ERROR_TABLE.items()}


def _body_model(status: int, detail: type[ErrorDetail]) -> type[BaseModel]:
    return create_model(f"Error{status}Body", __base__=ResponseModel, error=(detail, ...))


ERROR_MODELS: Mapping[int, type[BaseModel]] = {
    status: _body_model(status, detail) for status, (detail, _, _) in ERROR_TABLE.items()
}
