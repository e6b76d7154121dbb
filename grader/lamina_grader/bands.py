"""Score bands: a learner's metric against the reference runs, with partial credit.

Full marks from ``mean - full_at_sigma * max(std, std_floor)`` (mirrored for
metrics where lower is better), zero at ``zero_at``, linear in between. When
the reference has several backends, the most lenient band is used: a learner
never loses points for the backend they trained on.

Example:
    >>> from lamina_grader.labconfig import ArtifactSpec
    >>> spec = ArtifactSpec("m", 4, "digits", zero_at=0.5)
    >>> ref = {"backends": {"jax": {"mean": 0.95, "std": 0.01, "n": 3}}}
    >>> b = band_for(spec, ref)
    >>> round(b.full, 3), b.score(0.93), b.score(0.715)
    (0.93, 4.0, 2.0)
"""

import dataclasses
import math

__all__ = ["Band", "band_for"]


@dataclasses.dataclass
class Band:
    """Thresholds of one artifact task.

    Attributes:
        full: metric value that earns full marks.
        zero: metric value that earns nothing.
        points: points for full marks.
        higher_is_better: direction of the metric.
        mean, std, n, backend: the reference behind the band (None without one).
    """

    full: float
    zero: float
    points: float
    higher_is_better: bool = True
    mean: float = None
    std: float = None
    n: int = 0
    backend: str = None

    def fraction(self, value):
        """Fraction of the points earned by ``value`` (0 for NaN or None)."""
        if value is None or not math.isfinite(value):
            return 0.0
        sign = 1.0 if self.higher_is_better else -1.0
        v, full, zero = sign * value, sign * self.full, sign * self.zero
        if v >= full:
            return 1.0
        if v <= zero or full <= zero:
            return 0.0
        return (v - zero) / (full - zero)

    def score(self, value):
        """Points earned by ``value``, rounded to 0.01."""
        return round(self.points * self.fraction(value), 2)

    def describe(self, value, digits=3):
        """The feedback sentence, e.g. ``your 0.874 against reference 0.892 ± 0.006 (full marks from 0.880)``."""
        fmt = f"{{:.{digits}f}}"
        yours = "no value" if value is None or not math.isfinite(value) else fmt.format(value)
        word = "from" if self.higher_is_better else "up to"
        if self.mean is None:
            return f"your {yours} (full marks {word} {fmt.format(self.full)}, zero at {fmt.format(self.zero)})"
        return (f"your {yours} against reference {fmt.format(self.mean)} ± {fmt.format(self.std)} "
                f"(full marks {word} {fmt.format(self.full)})")


def _one(spec, mean, std, n, backend):
    spread = max(float(std), spec.std_floor)
    if spec.higher_is_better:
        full = mean - spec.full_at_sigma * spread
        zero = spec.zero_at if spec.zero_at is not None else full - 0.5 * abs(full)
        zero = min(zero, full)
    else:
        full = mean + spec.full_at_sigma * spread
        zero = spec.zero_at if spec.zero_at is not None else 2.0 * full + 1e-12
        zero = max(zero, full)
    return Band(full, zero, spec.points, spec.higher_is_better, float(mean), float(std), int(n), backend)


def band_for(spec, reference=None):
    """The :class:`Band` of artifact ``spec`` given its entry of ``reference.json``.

    Args:
        spec: the :class:`~lamina_grader.labconfig.ArtifactSpec`.
        reference: ``reference.json["artifacts"][name]`` or None.

    Raises:
        ValueError: without a reference and without ``full_at``/``zero_at``.
    """
    entries = (reference or {}).get("backends", {})
    bands = [_one(spec, e["mean"], e.get("std", 0.0), e.get("n", 0), b)
             for b, e in sorted(entries.items()) if e.get("mean") is not None]
    if bands:
        key = (lambda b: b.full) if spec.higher_is_better else (lambda b: -b.full)
        return min(bands, key=key)
    if spec.full_at is None or spec.zero_at is None:
        raise ValueError(f"artifact {spec.name!r}: no reference metrics (run `lamina-grader reference`) "
                         "and no full_at/zero_at in grading.toml")
    return Band(spec.full_at, spec.zero_at, spec.points, spec.higher_is_better)
