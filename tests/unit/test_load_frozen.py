"""kg.graph.load: an update's batches grow; what outlives a batch is kept out of the garbage collector's walks during a load,
and gives it back at the end, also when the load fails."""

from __future__ import annotations

import gc

import pytest

from kg.graph.load import _frozen_between_batches, growing_batches


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


def test_young_collections_are_rarer_during_a_load_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    with _frozen_between_batches():
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before


def test_an_update_s_batches_double_up_to_their_bound() -> None:
    assert [len(b) for b in growing_batches(range(1000), 200, 1000)] == [200, 400, 400]
    assert [len(b) for b in growing_batches(range(3000), 200, 1000)] == [200, 400, 800, 1000, 600]
    assert [len(b) for b in growing_batches(range(5), 3, 2)] == [3, 2]  # never below the first size
    assert [x for b in growing_batches(range(77), 5, 30) for x in b] == list(range(77))
