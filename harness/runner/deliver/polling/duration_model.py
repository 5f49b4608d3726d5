"""How long a model's jobs take, as a function of their text: the adaptive schedule's only belief about the
provider. A log-linear fit over the run's finished jobs, shrunk towards priors while they are few."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from statistics import NormalDist

from harness.core.quantiles import sorted_quantile

_STANDARD_NORMAL = NormalDist()
# The duration model's priors, worth this many jobs' evidence: a slope of 0.5 in log-log (a fixed part plus
# a part growing with the text), and a log-normal spread of 0.5 (jobs of one length differ by ±65%).
SLOPE_PRIOR, SLOPE_WEIGHT = 0.5, 0.5
SPREAD_PRIOR, SPREAD_WEIGHT = 0.5, 4.0


@dataclass(slots=True)
class DurationModel:
    """log(duration) = a + b·log(1 + chars) + ε, fitted on recent jobs.

    A run starts with a handful of jobs, often of similar length, so the fit is regularised where the data
    say little: the slope is shrunk towards `SLOPE_PRIOR` (with texts of nearly one length an unshrunk
    slope is noise, and extrapolates wildly), and ε's spread towards `SPREAD_PRIOR`. The quantiles are the
    wider of the empirical ones and a normal ε with that shrunk spread: the three fastest jobs seen say
    little about the 2% quantile, and a schedule that trusts them polls past the jobs that end sooner.
    """

    samples: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=200))  # the recent jobs
    _fit: tuple[float, float, list[float], float] | None = None

    def observe(self, chars: int, seconds: float) -> None:
        if seconds > 0:
            self.samples.append((math.log1p(chars), math.log(seconds)))
            self._fit = None

    def __len__(self) -> int:
        return len(self.samples)

    def _coefficients(self) -> tuple[float, float, list[float], float]:
        """Intercept, slope, sorted residuals (widened for few samples), and the shrunk normal spread."""
        if self._fit is None:
            xs = [x for x, _ in self.samples]
            ys = [y for _, y in self.samples]
            n = len(xs)
            mx, my = sum(xs) / n, sum(ys) / n
            sxx = sum((x - mx) ** 2 for x in xs)
            sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
            b = (sxy + SLOPE_WEIGHT * SLOPE_PRIOR) / (sxx + SLOPE_WEIGHT)
            a = my - b * mx
            residuals = sorted(y - (a + b * x) for x, y in zip(xs, ys, strict=True))
            squares = sum(r * r for r in residuals) + SPREAD_WEIGHT * SPREAD_PRIOR**2
            spread = math.sqrt(squares / (n + SPREAD_WEIGHT))
            # The empirical tails are not seen yet with few samples: widen them too.
            inflate = 1.0 + 1.0 / math.sqrt(n)
            self._fit = (a, b, [r * inflate for r in residuals], spread)
        return self._fit

    def quantile(self, chars: int, q: float) -> float:
        """The q-quantile of the duration (seconds) of a job with `chars` characters."""
        a, b, residuals, spread = self._coefficients()
        q = min(max(q, 1e-6), 1.0 - 1e-6)
        empirical = sorted_quantile(residuals, q)
        normal = spread * _STANDARD_NORMAL.inv_cdf(q)
        residual = min(empirical, normal) if q < 0.5 else max(empirical, normal)
        return math.exp(a + b * math.log1p(chars) + residual)
