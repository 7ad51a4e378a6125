"""Figures the benchmarks measure, their targets, and the table `make bench` prints.

A figure that misses its target is reported as "slow"; one that misses it badly
(more than 3x off) as "FAIL", which makes `python -m bench` exit non-zero. A hard
limit (Discord's 3-second autocomplete deadline, writes lost) fails on any miss.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

BADLY = 3.0  # how far off a target counts as a regression rather than noise


@dataclass(frozen=True)
class Figure:
    """One measured number and what it should be."""

    bench: str
    name: str
    value: float
    unit: str
    target: float | None = None  # None: shown for context, never judged
    higher_is_better: bool = False
    hard: bool = False  # a limit, not a goal: any miss fails
    note: str = ""
    # What the value is measured against in the same run, in its own unit (/help's
    # median in ms for a command's ratio, the idle p95 for a p95 under load); None when
    # the value stands alone.
    baseline: float | None = None

    @property
    def missed(self) -> bool:
        """Whether the value is on the wrong side of its target."""
        if self.target is None:
            return False
        return self.value < self.target if self.higher_is_better else self.value > self.target

    @property
    def failed(self) -> bool:
        """Whether the miss is bad enough to flag a regression."""
        if not self.missed or self.target is None:
            return False
        if self.hard:
            return True
        if self.higher_is_better:
            return self.value * BADLY < self.target
        return self.value > self.target * BADLY

    @property
    def verdict(self) -> str:
        """ok, slow or FAIL ("" for a figure without a target)."""
        if self.target is None:
            return ""
        return "FAIL" if self.failed else "slow" if self.missed else "ok"

    @property
    def goal(self) -> str:
        """The target as it reads in the table, e.g. "< 250 ms"."""
        if self.target is None:
            return ""
        sign = "≥" if self.higher_is_better else "≤"
        return f"{sign} {_number(self.target)} {self.unit}".rstrip()

    def as_result(self) -> dict[str, object]:
        """The figure as one entry of bench/results.json."""
        return {
            "name": f"{self.bench}: {self.name}",
            "value": round(self.value, 4),
            "unit": self.unit,
            "target": self.goal or None,
            "met": None if self.target is None else not self.missed,
            "baseline": None if self.baseline is None else round(self.baseline, 4),
        }


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1-99) of `values`, interpolated as the table's figures are."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def latency_figures(
    bench: str,
    name: str,
    seconds: list[float],
    *,
    p95_target_ms: float,
    max_limit_ms: float | None = None,
    limit_note: str = "",
) -> list[Figure]:
    """p50, p95 and max of round trips, in milliseconds; p95 is judged against its target.

    `max_limit_ms` is a hard limit for the slowest run (Discord's deadline).
    """
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    p50, p95, worst = cuts[49], cuts[94], ms[-1]
    runs = f"{len(ms)} runs"
    return [
        Figure(bench, f"{name} p50", p50, "ms", note=runs),
        Figure(bench, f"{name} p95", p95, "ms", p95_target_ms),
        Figure(
            bench,
            f"{name} max",
            worst,
            "ms",
            max_limit_ms,
            hard=max_limit_ms is not None,
            note=f"{worst / max_limit_ms:.1%} of {limit_note}" if max_limit_ms else "",
        ),
    ]


def table(figures: list[Figure]) -> str:
    """The figures as an aligned plain-text table."""
    head = ("bench", "figure", "value", "target", "", "note")
    rows = [
        (f.bench, f.name, f"{_number(f.value)} {f.unit}".rstrip(), f.goal, f.verdict, f.note)
        for f in figures
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = []
    for row in [head, *rows]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _number(value: float) -> str:
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
