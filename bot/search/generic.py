"""How much better the corpus matches a question than generic text does.

Takes the question's best passage cosine, its vector and the vectors of a fixed set of generic texts (everyday
and general-knowledge passages in English and Russian, ``bot/index/generic_texts.txt``, embedded at index
build); gives ``best - mean(top-k cosines to the generic texts)``. multilingual-e5-small puts every question
close to everything (cosines 0.74-0.92 whatever is asked); subtracting the question's own closeness to generic
text removes that per-question offset, so one line separates on-topic from off-topic questions better than
the raw cosine (measured in session 4, see ``bot.calibration``).
"""

from __future__ import annotations

import numpy as np

from bot.calibration import RETRIEVAL
from bot.index.calibrate import closeness

TOP_K = RETRIEVAL.generic_top_k


def contrast_to_generic(best: float, question: np.ndarray, generic: np.ndarray, top_k: int = TOP_K) -> float:
    """``best`` minus the mean of the question's ``top_k`` highest cosines to the generic texts."""
    return best - float(closeness(question[None, :], generic, top_k)[0])
