"""The terminal channel: `fichebot demo`, the interview without Telegram or network.

- `texts`: every French sentence it prints;
- `console`: reading lines (readline line editing) and printing;
- `commands`: a typed line → engine actions (text questions take commands only as "/p");
- `screen`: a prompt → the lines printed (the review as plain text);
- `session`: one step through storage and the engine;
- `interview`: the loop; `app`: `main`, choosing the place, exit statuses.
"""

from bot.terminal.app import main

__all__ = ["main"]
