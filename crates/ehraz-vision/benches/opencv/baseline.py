"""The usual alternative to Ehraz's live guidance, timed on the same frames: OpenCV's Haar
frontal-face cascade, the variance of the Laplacian (sharpness) and the mean (light), on
one thread.

The frames are the PNGs `cargo bench -p ehraz-vision --bench guidance` writes into
`guidance-frames/` in the Cargo target directory. Loading them and turning them grey is
outside the timing, as is loading the cascade (the Rust side loads its face model once
too). Each frame is timed call by call, after a warm-up, for a few seconds; the figures are
the median and 95th percentile of the calls' wall-clock times, and the mean of their time
on the CPU. "selfie in turn" times passes over the four selfie frames one after the
other, each pass's time divided by four (as criterion's figure for the Rust bench's
`selfie/in-turn` is a mean over consecutive frames).

    python baseline.py FRAMES_DIR [--seconds S] [--min-calls N] [--json OUT]

Run it under `taskset -c 0` to hold it to one core; `scripts/bench-guidance` does.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import cv2
import numpy as np

# The frames the Rust bench writes, in its order; the first four are the selfie's.
FRAMES = ["face", "no-face", "dark", "blurred", "paper", "card"]
IN_TURN = FRAMES[:4]


def guidance(cascade, gray):
    """What the usual alternative computes per frame: faces, sharpness, light."""
    faces = cascade.detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(120, 120)
    )
    sharpness = cv2.Laplacian(gray, cv2.CV_64F).var()
    light = gray.mean()
    return faces, sharpness, light


def timed(call, seconds, min_calls):
    """Calls `call` until `seconds` have passed and at least `min_calls` calls were made;
    each call's wall-clock and on-CPU time, in nanoseconds."""
    wall, cpu = [], []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(wall) < min_calls:
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        call()
        t1 = time.perf_counter_ns()
        c1 = time.thread_time_ns()
        wall.append(t1 - t0)
        cpu.append(c1 - c0)
    return np.array(wall, dtype=np.float64), np.array(cpu, dtype=np.float64)


def summary(wall, cpu):
    """Median, 95th percentile and mean of the calls, and their mean on the CPU, in µs."""
    return {
        "calls": int(wall.size),
        "median_us": float(np.median(wall) / 1e3),
        "p95_us": float(np.percentile(wall, 95) / 1e3),
        "mean_us": float(wall.mean() / 1e3),
        "on_cpu_mean_us": float(cpu.mean() / 1e3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("frames", type=Path, help="the guidance-frames directory")
    parser.add_argument("--seconds", type=float, default=6.0, help="timing per frame")
    parser.add_argument("--min-calls", type=int, default=50, help="calls per frame, at least")
    parser.add_argument("--json", type=Path, help="where to write the figures")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    cv2.ocl.setUseOpenCL(False)

    missing = [n for n in FRAMES if not (args.frames / f"{n}.png").is_file()]
    if missing:
        sys.exit(
            f"{args.frames}: no {', '.join(missing)}.png: "
            "run `cargo bench -p ehraz-vision --bench guidance` first"
        )
    grays = {}
    for name in FRAMES:
        bgr = cv2.imread(str(args.frames / f"{name}.png"), cv2.IMREAD_COLOR)
        if bgr is None or bgr.shape[:2] != (720, 1280):
            sys.exit(f"{name}.png: not a 1280×720 picture")
        grays[name] = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)

    cascade_path = os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml")
    cascade = cv2.CascadeClassifier(cascade_path)
    if cascade.empty():
        sys.exit(f"{cascade_path}: the cascade did not load")

    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    print(
        f"OpenCV {cv2.__version__}, numpy {np.__version__}, Python {platform.python_version()}; "
        f"OpenCV threads {cv2.getNumThreads()}, OpenCL {cv2.ocl.useOpenCL()}, "
        f"CPUs allowed {affinity}"
    )

    # Warm-up: every frame a few times (caches, the cascade's first-use set-up).
    for _ in range(3):
        for gray in grays.values():
            guidance(cascade, gray)

    results = {}
    print(f"{'frame':<16}{'faces':>6}{'laplacian var':>15}{'mean':>8}"
          f"{'calls':>7}{'median ms':>11}{'p95 ms':>9}{'on-CPU ms':>11}")
    cases = [(name, [grays[name]]) for name in FRAMES]
    cases.append(("selfie in turn", [grays[n] for n in IN_TURN]))
    for name, frames in cases:

        def call(frames=frames):
            for gray in frames:
                guidance(cascade, gray)

        wall, cpu = timed(call, args.seconds, args.min_calls)
        # A pass over a set counts as that many frames: its time per frame.
        figures = summary(wall / len(frames), cpu / len(frames))
        if len(frames) == 1:
            faces, sharpness, light = guidance(cascade, frames[0])
            figures.update(faces=len(faces), laplacian_var=float(sharpness), mean=float(light))
            found = f"{len(faces):>6}{sharpness:>15.1f}{light:>8.1f}"
        else:
            found = f"{'':>6}{'':>15}{'':>8}"
        results[name] = figures
        print(
            f"{name:<16}{found}{figures['calls']:>7}{figures['median_us'] / 1e3:>11.2f}"
            f"{figures['p95_us'] / 1e3:>9.2f}{figures['on_cpu_mean_us'] / 1e3:>11.2f}"
        )

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "opencv": cv2.__version__,
                    "numpy": np.__version__,
                    "python": platform.python_version(),
                    "threads": cv2.getNumThreads(),
                    "cpus_allowed": affinity,
                    "frames": results,
                },
                indent=1,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
