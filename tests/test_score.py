"""The generated set of issue-10 shapes (tests/score.py) scores at least 0.99 field by field."""

from __future__ import annotations

from tests.score import score


def test_generated_shapes_score() -> None:
    value, misses, examples = score(100, seed=7)
    assert value >= 0.99, (value, misses, examples[:10])
