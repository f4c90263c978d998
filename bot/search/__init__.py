"""Hybrid retrieval: takes a question (and its language) and a loaded index; gives ranked ``Hit`` s with the
evidence of both retrievers (cosine, keyword coverage, focus, contrast with generic text).
"""
