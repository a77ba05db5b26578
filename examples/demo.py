#!/usr/bin/env python3
"""A ~10-second StepFlow demo in Python: 3 steps with metadata and a stderr line.

Every print flushes, so lines reach StepFlow as they happen even though stdout is a pipe.
Set DEMO_FAIL=1 to make the Train step report an error and the script exit 1.
"""
import os
import random
import sys
import time


def say(text: str = "", err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


def main() -> int:
    fail = os.environ.get("DEMO_FAIL") == "1"
    say("META:python:" + sys.version.split()[0])
    say("META:dataset:iris")

    say("STEP_START:Load data[duration=2]")
    for part in range(1, 4):
        say(f"  loading shard {part}/3")
        time.sleep(0.6)
    say("META:rows:150")
    say("STEP_COMPLETE:Load data")

    say("STEP_START:Train[stop_on_error=true, duration=5]")
    loss = 1.0
    for epoch in range(1, 6):
        loss *= random.uniform(0.55, 0.8)
        say(f"  epoch {epoch}/5  loss={loss:.4f}")
        time.sleep(1)
    if fail:
        say("  warning: loss went NaN at epoch 5", err=True)
        say("STEP_ERROR:training diverged")
        return 1
    say(f"META:final_loss:{loss:.4f}")
    say("STEP_COMPLETE:Train")

    say("STEP_START:Evaluate[duration=2]")
    time.sleep(1)
    accuracy = round(random.uniform(0.9, 0.98), 3)
    say(f"  accuracy: {accuracy}")
    say(f"META:accuracy:{accuracy}")
    time.sleep(1)
    say("STEP_COMPLETE:Evaluate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
