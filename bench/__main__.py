"""``make bench``: run every ``bench/bench_*.py`` module's ``run()`` and print its figures.

Each row: name, value and unit, the baseline measured in the same run, the ratio, and the goal.
``python -m bench crypto storage`` runs only the named modules.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    failed = 0
    for name in names:
        mod = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name} ==", flush=True)
        start = time.perf_counter()
        try:
            rows = mod.run()
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            print(f"  FAILED: {exc!r}")
            failed += 1
            continue
        for r in rows:
            ratio = f"  ratio {r['ratio']}" if r.get("ratio") is not None else ""
            base = f"  (baseline {r['baseline']} {r['unit']})" if r.get("baseline") is not None else ""
            print(f"  {r['name']}: {r['value']} {r['unit']}{base}{ratio}  goal: {r.get('goal', '')}")
        print(f"  [{time.perf_counter() - start:.1f} s]")
        (HERE.parent / "artifacts").mkdir(exist_ok=True)
        (HERE.parent / "artifacts" / f"bench_{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
