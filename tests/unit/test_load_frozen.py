"""kg.graph.load keeps what outlives a batch out of the garbage collector's walks during a load,
and gives it back at the end, also when the load fails."""

from __future__ import annotations

import gc

import pytest

from kg.graph.load import _frozen_between_batches


def test_what_a_batch_froze_is_unfrozen_when_the_load_ends() -> None:
    kept = [[n] for n in range(100)]
    with _frozen_between_batches():
        gc.freeze()  # as after a batch
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_and_when_it_fails() -> None:
    with pytest.raises(RuntimeError), _frozen_between_batches():
        gc.freeze()
        raise RuntimeError("a write failed")
    assert gc.get_freeze_count() == 0


def test_the_switch_interval_is_set_while_batches_are_written_beside_resolution_and_restored() -> None:
    """``_switching``: the writer thread gets the GIL back soon after each reply of the server."""
    import sys

    from kg.graph.load import _switching

    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), _switching(0.0005):
        assert sys.getswitchinterval() == pytest.approx(0.0005)
        raise RuntimeError("a failed write")
    assert sys.getswitchinterval() == before
