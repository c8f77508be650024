"""One benchmark figure as ``python -m bench`` prints it: value and unit, the baseline measured in
the same run, their ratio and the goal."""

from __future__ import annotations


def row(name: str, value: float, unit: str, baseline: float | None, goal: str) -> dict:
    ratio = value / baseline if baseline else None
    return {"name": name, "value": round(value, 4), "unit": unit,
            "baseline": round(baseline, 4) if baseline is not None else None,
            "ratio": round(ratio, 2) if ratio is not None else None, "goal": goal}
