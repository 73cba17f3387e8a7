"""Summarisation methods kept only for comparison: the lead baseline, and numpy copies of sumy's LexRank and
TextRank that select the same sentences far faster (`python -m bench.speed_summary`). The bot's methods are
analysis.summarize's; `rank` runs either kind by name, for the evaluations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.summarize import MAX_GRAPH, METHODS, STOCK_METHODS, Matrix, _counts, _lang, _terms, rank_sentences
from analysis.types import Sentence

COMPARISON_METHODS = ("lead", "lexrank-np", "textrank-np")
# In the order the evaluation's table lists them: the baseline, sumy's, then the fast copies and ours.
ALL_METHODS = ("lead", *STOCK_METHODS, "lexrank-np", "textrank-np", *(m for m in METHODS if m not in STOCK_METHODS))


def lexrank_scores(sentence_terms: list[list[str]], threshold: float = 0.1, epsilon: float = 0.1) -> Matrix:
    """sumy's LexRank, vectorised: same tf, idf, thresholded cosine graph and power method."""
    n = len(sentence_terms)
    counts, _ = _counts(sentence_terms)
    max_tf = counts.max(axis=1, keepdims=True)
    max_tf[max_tf == 0] = 1.0
    tf = counts / max_tf
    present = counts > 0
    n_j = present.sum(axis=0)
    idf = np.log(n / (1.0 + n_j))
    weighted = tf * idf
    squares = (weighted**2).sum(axis=1)
    # Terms of a single sentence only add to its own norm: leave them out of the product (a large share of
    # the vocabulary, so the product is much smaller), and put the diagonal back from the norms.
    shared = weighted[:, n_j > 1]
    numerator = shared @ shared.T
    np.fill_diagonal(numerator, squares)
    norms = np.sqrt(squares)
    denominator = np.outer(norms, norms)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(denominator > 0, numerator / denominator, 0.0)
    adjacency = (cosine > threshold).astype(float)
    degrees = adjacency.sum(axis=1)
    degrees[degrees == 0] = 1.0
    matrix = adjacency / degrees[:, None]
    p = np.full(n, 1.0 / n)
    delta = 1.0
    while delta > epsilon:
        nxt = matrix.T @ p
        nxt /= np.linalg.norm(nxt)
        delta = float(np.linalg.norm(nxt - p))
        p = nxt
    return p


def _overlap_weights(counts: Matrix) -> Matrix:
    """TextRank's edge weights: shared words over the sum of the logs of both lengths."""
    shared = counts @ counts.T
    lengths = counts.sum(axis=1)
    logs = np.log(np.maximum(lengths, 1.0))
    norm = logs[:, None] + logs[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(np.isclose(norm, 0.0), shared, shared / norm)
    weights[shared == 0] = 0.0
    return weights


def textrank_scores(sentence_terms: list[list[str]], damping: float = 0.85, epsilon: float = 1e-4) -> Matrix:
    """sumy's TextRank, vectorised: same weights, damping and power method."""
    n = len(sentence_terms)
    counts, _ = _counts(sentence_terms)
    weights = _overlap_weights(counts)
    weights /= weights.sum(axis=1)[:, None] + 1e-7
    matrix = np.full((n, n), (1.0 - damping) / n) + damping * weights
    return _power(matrix, np.full(n, 1.0 / n), epsilon)


def _power(matrix: Matrix, p: Matrix, epsilon: float, max_iter: int = 1000) -> Matrix:
    transposed = matrix.T
    for _ in range(max_iter):
        nxt = transposed @ p
        delta = float(np.linalg.norm(nxt - p))
        p = nxt
        if delta <= epsilon:
            break
    return p


def _order_by(scores: Matrix) -> list[int]:
    # Stable, highest first, ties in document order: the order sumy's selection uses.
    return [int(i) for i in sorted(range(len(scores)), key=lambda i: -float(scores[i]))]


def rank(
    sentences: Sequence[Sentence], lang: str = "en", title: str | None = None, method: str = "precis"
) -> list[int]:
    """`analysis.summarize.rank_sentences`, with the comparison methods selectable too."""
    if method not in COMPARISON_METHODS:
        return rank_sentences(sentences, lang, title=title, method=method)
    if method == "lead" or len(sentences) < 2:
        return [s.index for s in sentences]
    head = list(sentences[:MAX_GRAPH])
    terms = [_terms(s.text, _lang(lang)) for s in head]
    scores = lexrank_scores(terms) if method == "lexrank-np" else textrank_scores(terms)
    return [head[i].index for i in _order_by(scores)] + [s.index for s in sentences[MAX_GRAPH:]]
