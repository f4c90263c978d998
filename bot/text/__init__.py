"""The lowest layer: text made safe (surrogates, control characters), normalised and stemmed for matching,
word frequencies, names, and the question's language. Takes strings; gives strings, tokens and codes.
"""
