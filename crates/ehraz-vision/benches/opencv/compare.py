"""Puts the two sides of `scripts/bench-guidance` side by side: the Rust guidance
(criterion's medians, and `rust-calls.tsv` from the same bench) against the OpenCV
baseline (`baseline.py --json`), frame by frame, with the ratio and the two goals.

    python compare.py TARGET_DIR OPENCV_JSON

TARGET_DIR is the Cargo target directory (criterion's results are in its `criterion/`,
the frames and `rust-calls.tsv` in its `guidance-frames/`). Standard library only.
"""

import csv
import json
import sys
from pathlib import Path

GROUP = "guidance 1280x720"
# The Rust bench's id, and the frame (or set) the OpenCV baseline timed for it.
PAIRS = [
    ("selfie/face", "face"),
    ("selfie/no-face", "no-face"),
    ("selfie/dark", "dark"),
    ("selfie/blurred", "blurred"),
    ("selfie/in-turn", "selfie in turn"),
    ("selfie-video/face", "face"),
    ("paper/paper", "paper"),
    ("card/card", "card"),
]
# The targets with a face, where the comparison is like for like (both look for faces).
SELFIE = [rust for rust, _ in PAIRS if rust.startswith("selfie")]
BUDGET_MS = 4.0
RATIO_GOAL = 12.0


def criterion_medians(target):
    """Each benchmark of the group: criterion's median, in µs."""
    medians = {}
    for found in (target / "criterion").glob("*/*/new/benchmark.json"):
        bench = json.loads(found.read_text())
        if bench["group_id"] != GROUP:
            continue
        estimates = json.loads((found.parent / "estimates.json").read_text())
        medians[bench["function_id"]] = estimates["median"]["point_estimate"] / 1e3
    return medians


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n\n")[1].strip())
    target, opencv_json = Path(sys.argv[1]), Path(sys.argv[2])
    medians = criterion_medians(target)
    with open(target / "guidance-frames" / "rust-calls.tsv", newline="") as f:
        calls = {row["bench"]: row for row in csv.DictReader(f, delimiter="\t")}
    opencv = json.loads(opencv_json.read_text())
    cv_frames = opencv["frames"]

    def ms(us):
        return f"{float(us) / 1e3:.2f}" if us not in (None, "-") else "-"

    print(
        f"\nPer frame, 1280×720, one core (ms). Rust: criterion's median, then every call's "
        f"median, p95 and mean on the CPU.\nOpenCV {opencv['opencv']}: Haar (minSize 120) + "
        f"Laplacian variance + mean, {opencv['threads']} thread; the calls' median, p95 and "
        f"mean on the CPU."
    )
    header = (
        f"{'Rust bench':<19}{'criterion':>10}{'median':>8}{'p95':>8}{'on-CPU':>8}"
        f"  {'OpenCV frame':<15}{'median':>8}{'p95':>8}{'on-CPU':>8}"
        f"{'ratio':>8}{'on-CPU ratio':>13}"
    )
    print(header)
    print("-" * len(header))
    ratios = {}
    for rust, frame in PAIRS:
        if rust not in medians or frame not in cv_frames:
            print(f"{rust:<19}(not measured in this run)")
            continue
        row, cv = calls.get(rust, {}), cv_frames[frame]
        ratio = cv["median_us"] / medians[rust]
        ratios[rust] = ratio
        on_cpu = row.get("on_cpu_mean_us")
        cpu_ratio = (
            f"{cv['on_cpu_mean_us'] / float(on_cpu):.1f}×" if on_cpu not in (None, "-") else "-"
        )
        print(
            f"{rust:<19}{ms(medians[rust]):>10}{ms(row.get('median_us')):>8}"
            f"{ms(row.get('p95_us')):>8}{ms(on_cpu):>8}"
            f"  {frame:<15}{ms(cv['median_us']):>8}{ms(cv['p95_us']):>8}"
            f"{ms(cv['on_cpu_mean_us']):>8}{ratio:>7.1f}×{cpu_ratio:>13}"
        )

    if medians:
        slowest = max(medians, key=medians.get)
        within = medians[slowest] / 1e3 <= BUDGET_MS
        print(
            f"\nGoal ≤ {BUDGET_MS:g} ms a frame (criterion's medians): "
            f"{'met' if within else 'NOT met'}; slowest {slowest} {ms(medians[slowest])} ms."
        )
    selfie = [s for s in SELFIE if s in ratios]
    if selfie:
        least = min(selfie, key=ratios.get)
        most = max(selfie, key=ratios.get)
        met = sum(ratios[s] >= RATIO_GOAL for s in selfie)
        print(
            f"Goal ≥ {RATIO_GOAL:g}× faster than OpenCV (the face targets' benches): met on "
            f"{met} of {len(selfie)}; least {least} {ratios[least]:.1f}×, "
            f"most {most} {ratios[most]:.1f}×."
        )

if __name__ == "__main__":
    main()
