"""The Telegram bot (python-telegram-bot v22; the only package that imports it): takes updates; gives
replies through the conversation core, with buttons, inline mode, limits, admin commands and live reload.
"""
