"""The Telegram channel: a python-telegram-bot application over the interview engine.

Kept import-free so that `bot.settings` can use `bot.telegram.texts` without loading
python-telegram-bot.
"""
