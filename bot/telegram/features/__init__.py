"""The bot's features, one module each; they never import each other.

Each module holds the handlers of one part of the product; `commands.py` wires them
(command table, buttons, messages). What several features share lives below them:
`context` (services, say), `callbacks` (button data), `sending` (403/429), `fiches`
(rendering and sharing a fiche), `broadcast` (a campaign's announcements), `texts`,
`views`.
"""
