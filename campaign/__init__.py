"""Annual campaigns: the reminder schedule (pure) and the exports of a campaign's responses."""
