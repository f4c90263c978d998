"""The answer: takes search hits; gives an ``Answer`` — quoted, merged, highlighted passages, or an honest
refusal decided by the thresholds calibrated for the embedding model (``bot.calibration``).
"""
