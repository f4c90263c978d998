"""The index: takes the corpus and the encoders; gives (and stores atomically, as JSON/NumPy/FAISS/bm25s
files) chunks, vectors in one or two spaces, FAISS and BM25 indexes, background names and a manifest; says
when the stored index no longer fits the code, settings or corpus.
"""
