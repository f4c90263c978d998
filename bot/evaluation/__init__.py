"""``wayhome eval``: takes YAML question sets; gives hit@1, hit@3, MRR and refusal rates per file and per
question language, with every miss listed.
"""
