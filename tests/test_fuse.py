"""Fusing the BM25 and dense channels (pure function, no index)."""
from rag.retrieve import fuse


def test_weighted_fusion_keeps_a_confident_bm25_margin():
    bm25 = {0: 10.0, 1: 2.0, 2: 1.0}
    dense = {2: 0.9, 1: 0.8, 0: 0.7}
    fused = fuse(bm25, dense, (1.0, 0.3), "weighted")
    assert max(fused, key=fused.get) == 0  # dense prefers 2, but BM25's clear winner stays first
    rrf = fuse(bm25, dense, (1.0, 1.0), "rrf", rrf_k=1)
    assert rrf[0] == rrf[2]  # ranks only: the margin is gone


def test_a_channel_alone_and_empty_channels():
    assert fuse({3: 5.0}, {}, (1.0, 0.3)) == {3: 1.0}
    assert fuse({}, {}, (1.0, 0.3)) == {}
    dense_only = fuse({}, {1: 0.2, 2: 0.6}, (1.0, 0.3))
    assert dense_only[2] > dense_only[1] and dense_only[1] == 0.0


def test_weights_scale_each_channel():
    both = fuse({1: 4.0, 2: 2.0}, {2: 0.9, 1: 0.1}, (0.0, 1.0))
    assert max(both, key=both.get) == 2
