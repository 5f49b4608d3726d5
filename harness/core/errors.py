"""Classified errors: every failure the harness reports falls into one of these classes.

    HarnessError
    ├── UsageError                 bad input to the harness itself (CLI, config)
    ├── RequestValidationError     a request the documents forbid; raised before anything is sent
    ├── BudgetExceeded             a job whose worst-case cost would pass the budget
    └── ProviderError              something a provider (or the transport to it) did
        ├── AuthError              401/403
        ├── BalanceError           402: credits or wallet spent
        ├── RateLimitError         429 (carries retry_after)
        ├── ServerError            5xx (carries retry_after when given)
        ├── ValidationRejected     4xx that says the request was bad (400/404/413/422)
        ├── TransportError         connection refused/reset, TLS, DNS
        ├── TimeoutError_          no answer in time, or a job that never finishes
        ├── ProtocolError          a body that cannot be parsed (malformed JSON, HTML page, cut audio)
        └── ContractViolation      a parsable body that breaks the documented contract

`ErrorClass` names the classes as stored in rows and counted in summaries. Messages never carry
secrets: anything shown of a request passes through `harness.core.redact` first.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorClass(StrEnum):
    AUTH = "auth"
    BALANCE = "balance"
    RATE_LIMIT = "rate_limit"
    VALIDATION = "validation"
    SERVER = "server"
    TRANSPORT = "transport"
    PROTOCOL = "protocol"
    TIMEOUT = "timeout"
    CONTRACT = "contract"
    BUDGET = "budget"
    LOST = "lost"  # a result the provider finished (and charged) that could not be fetched, or a job lost track of


class HarnessError(Exception):
    """Base of every error the harness raises on purpose."""


class UsageError(HarnessError):
    """The harness was called wrongly (exit code 2 on the CLI)."""


class RequestValidationError(HarnessError):
    """A request that the provider's documents do not allow, refused before it is sent."""

    def __init__(self, endpoint: str, problems: list[str]) -> None:
        self.endpoint = endpoint
        self.problems = problems
        super().__init__(f"{endpoint}: " + "; ".join(problems))


class BudgetExceeded(HarnessError):
    """Starting this job could spend more than what is left of the budget."""

    error_class = ErrorClass.BUDGET


class ProviderError(HarnessError):
    """A classified failure of a provider call."""

    error_class: ErrorClass = ErrorClass.SERVER

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


class AuthError(ProviderError):
    error_class = ErrorClass.AUTH


class BalanceError(ProviderError):
    error_class = ErrorClass.BALANCE


class RateLimitError(ProviderError):
    error_class = ErrorClass.RATE_LIMIT


class ServerError(ProviderError):
    error_class = ErrorClass.SERVER


class ValidationRejected(ProviderError):
    error_class = ErrorClass.VALIDATION


class TransportError(ProviderError):
    error_class = ErrorClass.TRANSPORT


class TimeoutError_(ProviderError):  # the builtin name is taken
    error_class = ErrorClass.TIMEOUT


class ProtocolError(ProviderError):
    error_class = ErrorClass.PROTOCOL


class ContractViolation(ProviderError):
    error_class = ErrorClass.CONTRACT


class LostResult(ProviderError):
    """A result the provider finished, and charged for, that could not be fetched after every retry."""

    error_class = ErrorClass.LOST


def error_for_status(status: int, message: str, retry_after: float | None = None) -> ProviderError:
    """The classified error for an HTTP error status (the mapping every provider here documents)."""
    cls: type[ProviderError]
    if status in (401, 403):
        cls = AuthError
    elif status == 402:
        cls = BalanceError
    elif status == 429:
        cls = RateLimitError
    elif status >= 500:
        cls = ServerError
    else:
        cls = ValidationRejected
    return cls(message, status=status, retry_after=retry_after)
