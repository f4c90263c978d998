"""Reading the corpus: takes the files in the corpus folder (.md/.txt with front matter or a pasted header,
.html pages); gives ``Article`` objects (metadata + verbatim body) and their sentence-aligned ``Chunk`` s.
"""
