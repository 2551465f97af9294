"""Schemathesis hooks: point half of the generated session paths at a real session, so
fuzzing reaches the handlers behind the token check instead of stopping at 404."""

import os
import random

import schemathesis

SESSION = os.environ["EHRAZ_FUZZ_SESSION"]


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    if path_parameters and "session" in path_parameters and random.random() < 0.5:
        path_parameters["session"] = SESSION
    return path_parameters
