"""The bounded memo the fake and the verifier share."""

from __future__ import annotations

import pytest

from fakenova.memo import BoundedMemo


def test_answers_are_kept_and_the_memo_is_emptied_when_full() -> None:
    memo = BoundedMemo(limit=2)
    calls: list[str] = []

    def square(key: int) -> int:
        calls.append(f"compute {key}")
        return key * key

    assert [memo.answer(k, lambda k=k: square(k)) for k in (1, 2, 1)] == [1, 4, 1]
    assert calls == ["compute 1", "compute 2"]
    assert memo.answer(3, lambda: square(3)) == 9  # full: emptied, then kept
    assert dict(memo) == {3: 9}
    memo.keep(3, 10)  # a key it holds is replaced, nothing emptied
    assert dict(memo) == {3: 10}


def test_a_failing_computation_keeps_nothing() -> None:
    memo = BoundedMemo()

    def fails() -> int:
        raise ValueError("no answer")

    with pytest.raises(ValueError):
        memo.answer("k", fails)
    assert "k" not in memo
