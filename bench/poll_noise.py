"""What noise added in the learner's browser would cost the class poll (randomised response).

The defence considered against an instructor who pads a batch with made-up answers (kitserver/poll_store.py):
each browser replaces each of its six numbers, with probability ``p``, by a number drawn
uniformly from 0-9 before sending, and the instructor's view corrects the counts for the noise
(``(observed share - p/10) / (1 - p)``). Then what the padding instructor recovers of the one
real learner is that learner's number only with probability ``1 - p + p/10``.

This script measures, by simulation with a fixed seed, how far the class's mean per statement
(0-9) drifts from the true mean at 5, 10 and 30 learners, for several ``p``; it prints a table.
Run: ``.venv/bin/python bench/poll_noise.py``. It uses no part of the kit.
"""

from __future__ import annotations

import random
import statistics

TRIALS = 4000
CLASS_SIZES = (5, 10, 30)
NOISE = (0.0, 0.25, 0.5, 0.75)


def true_answers(rng: random.Random, n: int) -> list[int]:
    # A class that leans to agreement, as Stockman's statements tend to after a good session.
    return [min(9, max(0, round(rng.gauss(6.5, 1.8)))) for _ in range(n)]


def noisy(rng: random.Random, value: int, p: float) -> int:
    return rng.randrange(10) if rng.random() < p else value


def corrected_mean(reported: list[int], p: float) -> float:
    # E[reported] = (1 - p) * true_mean + p * 4.5, so true_mean = (mean - p * 4.5) / (1 - p).
    return (statistics.fmean(reported) - p * 4.5) / (1 - p)


def main() -> None:
    rng = random.Random(20261203)
    print(
        "p     | recovered exactly | mean abs. error of the class mean (0-9 scale) at n = "
        + ", ".join(map(str, CLASS_SIZES))
    )
    for p in NOISE:
        errors = []
        for n in CLASS_SIZES:
            err = []
            for _ in range(TRIALS):
                truth = true_answers(rng, n)
                reported = [noisy(rng, v, p) for v in truth]
                err.append(abs(corrected_mean(reported, p) - statistics.fmean(truth)))
            errors.append(statistics.fmean(err))
        exact = 1 - p + p / 10
        print(f"{p:<5} | {exact:17.0%} | " + ", ".join(f"{e:.2f}" for e in errors))


if __name__ == "__main__":
    main()
