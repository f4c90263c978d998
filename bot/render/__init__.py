"""Rendering: takes an ``Answer`` or a conversation ``Reply`` and the interface language; gives terminal text,
JSON or Telegram HTML.
"""
