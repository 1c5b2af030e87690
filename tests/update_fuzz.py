"""Random updates of every kind Telegram can send, from a seed (tests/test_update_fuzz.py).

Each update is a shape Telegram really sends (PTB reads it), with random content:
private, group and channel messages, commands with and without arguments, edits,
button presses with real and forged data (huge numbers, other people's ids, unknown
formats), presses on inline messages (no `message`), inline queries, polls, chat
member changes, reactions, boosts, business messages, payments… and redeliveries of
an update already sent.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

DATE = 1_767_225_600
COMMANDS = ("/start", "/aide", "/help", "/reprendre", "/apercu", "/modifier", "/envoyer",
            "/lieu_ajouter", "/lieu_lien", "/lieux", "/inviter", "/inviter_coordinateur",
            "/inviter_destinataire", "/invitations", "/revoquer", "/lieu_retirer",
            "/campagne_creer", "/campagne_lancer", "/campagne_statut", "/campagne_rappels",
            "/relancer", "/campagne_cloturer", "/campagnes", "/export", "/fiche",
            "/mes_donnees", "/oublier", "/inconnue", "/start@fichebot_test_bot")
ARGUMENTS = ("", " La Tréso", " 2026 30/06/2026", " 7 3", " 99999999999999999999", " -1",
             " 0", " abc", " " + "x" * 300, " \u0000\u001b[D", " 2026", " 1", " equipe")
DATAS = ("snz:1", "snz:99999999999999999999", "snz:-5", "snz:", "snz:abc", "go:1",
         "go:99999999999999999999", "go:0", "cc:1:y", "cc:1:n", "cc:99999999999999999999:y",
         "rm:1:y", "rm:1:n", "rm:x:y", "fg:y", "fg:n", "pf:1:0", "pf:1:1", "pf:9:9:9",
         "t:lien_social.publics:grand_public", "v:lien_social.publics", "s:lien_social.publics",
         "b:lien_social.publics", "k:x.y", "x:lien_social.publics:999:abcd", "j:lien_social",
         "m", "mb", "r", "u", "send", "", ":", "::::", "é" * 30, "t:a.b:" + "c" * 60)
TEXTS = ("bonjour", "12", "1 200", "beaucoup", "3", "Un atelier <b>réparation</b> & café",
         "\u0000\u0007", "x" * 4096, "-5", "99999999999999999999", "1,5", "🙂")


class UpdateFuzzer:
    """Deterministic updates: the same seed gives the same 10 000."""

    def __init__(self, seed: int, people: tuple[int, ...]) -> None:
        self.random = random.Random(seed)
        self.people = people
        self.update_id = 0
        self.message_id = 0
        self.sent: list[dict[str, Any]] = []

    # --- pieces ---
    def _user(self) -> dict[str, Any]:
        r = self.random
        user_id = r.choice(self.people) if r.random() < 0.8 else r.randint(1, 2**40)
        return {"id": user_id, "is_bot": False, "first_name": r.choice(["Alice", "Ève", "Zoé"]),
                "language_code": "fr"}

    def _chat(self, user: dict[str, Any]) -> dict[str, Any]:
        kind = self.random.choices(["private", "group", "supergroup", "channel"],
                                   [8, 1, 1, 1])[0]
        if kind == "private":
            return {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        return {"id": -self.random.randint(1, 10**12), "type": kind, "title": "Réseau"}

    def _message(self, user: dict[str, Any] | None = None,
                 chat: dict[str, Any] | None = None) -> dict[str, Any]:
        r = self.random
        user = user or self._user()
        chat = chat or self._chat(user)
        self.message_id += 1
        message: dict[str, Any] = {"message_id": self.message_id, "date": DATE, "chat": chat}
        if chat["type"] != "channel":
            message["from"] = user
        roll = r.random()
        if roll < 0.45:
            text = r.choice(COMMANDS) + r.choice(ARGUMENTS)
            message["text"] = text
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        elif roll < 0.8:
            message["text"] = r.choice(TEXTS)
        elif roll < 0.85:
            message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 9,
                                 "height": 9}]
            message["caption"] = r.choice(TEXTS)
        elif roll < 0.9:
            message["sticker"] = {"file_id": "s", "file_unique_id": "s", "type": "regular",
                                  "width": 9, "height": 9, "is_animated": False,
                                  "is_video": False}
        elif roll < 0.95:
            message["new_chat_members"] = [self._user()]
        else:
            message["location"] = {"latitude": 48.85, "longitude": 2.35}
        return message

    def _callback(self) -> dict[str, Any]:
        r = self.random
        user = self._user()
        query: dict[str, Any] = {"id": str(r.randint(1, 2**62)), "from": user,
                                 "chat_instance": "ci", "data": r.choice(DATAS)}
        if r.random() < 0.25:
            query["inline_message_id"] = f"inline{r.randint(1, 999)}"
        else:
            chat = ({"id": user["id"], "type": "private", "first_name": "X"}
                    if r.random() < 0.9 else self._chat(user))
            self.message_id += 1
            query["message"] = {"message_id": self.message_id, "date": DATE, "chat": chat,
                                "text": "Question", "from": {"id": 123456789, "is_bot": True,
                                                             "first_name": "Fichebot"}}
        if r.random() < 0.05:
            del query["data"]
            query["game_short_name"] = "jeu"
        return query

    def _chat_member(self) -> dict[str, Any]:
        user = self._user()
        return {"chat": self._chat(user), "from": user, "date": DATE,
                "old_chat_member": {"status": "member", "user": user},
                "new_chat_member": {"status": "kicked", "user": user, "until_date": 0}}

    def _poll(self) -> dict[str, Any]:
        return {"id": str(self.random.randint(1, 999)), "question": "?",
                "options": [{"text": "oui", "voter_count": 1, "persistent_id": "1"}],
                "total_voter_count": 1, "is_closed": False, "is_anonymous": True,
                "type": "regular", "allows_multiple_answers": False,
                "allows_revoting": False, "members_only": False}

    # --- one update ---
    def _payload(self) -> dict[str, Any]:
        r = self.random
        kind = r.choices(
            ["message", "callback_query", "edited_message", "channel_post",
             "edited_channel_post", "inline_query", "chosen_inline_result", "poll",
             "poll_answer", "my_chat_member", "chat_member", "chat_join_request",
             "message_reaction", "message_reaction_count", "shipping_query",
             "pre_checkout_query", "chat_boost", "removed_chat_boost",
             "business_connection", "business_message", "deleted_business_messages",
             "purchased_paid_media"],
            [40, 30, 5, 2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])[0]
        user = self._user()
        if kind == "message":
            return {kind: self._message()}
        if kind == "callback_query":
            return {kind: self._callback()}
        if kind == "edited_message":
            message = self._message()
            message["edit_date"] = DATE + 60
            return {kind: message}
        if kind in ("channel_post", "edited_channel_post"):
            chat = {"id": -r.randint(1, 10**12), "type": "channel", "title": "Canal"}
            message = self._message(chat=chat)
            if kind == "edited_channel_post":
                message["edit_date"] = DATE + 1
            return {kind: message}
        if kind == "business_message":
            message = self._message()
            message["business_connection_id"] = "bc"
            return {kind: message}
        if kind == "inline_query":
            return {kind: {"id": "1", "from": user, "query": r.choice(TEXTS), "offset": ""}}
        if kind == "chosen_inline_result":
            return {kind: {"result_id": "1", "from": user, "query": "x"}}
        if kind == "poll":
            return {kind: self._poll()}
        if kind == "poll_answer":
            return {kind: {"poll_id": "1", "user": user, "option_ids": [0],
                           "option_persistent_ids": ["1"]}}
        if kind in ("my_chat_member", "chat_member"):
            return {kind: self._chat_member()}
        if kind == "chat_join_request":
            return {kind: {"chat": self._chat(user), "from": user, "date": DATE,
                           "user_chat_id": user["id"]}}
        if kind == "message_reaction":
            return {kind: {"chat": self._chat(user), "message_id": 1, "date": DATE,
                           "user": user, "old_reaction": [],
                           "new_reaction": [{"type": "emoji", "emoji": "👍"}]}}
        if kind == "message_reaction_count":
            return {kind: {"chat": self._chat(user), "message_id": 1, "date": DATE,
                           "reactions": []}}
        if kind == "shipping_query":
            return {kind: {"id": "1", "from": user, "invoice_payload": "p",
                           "shipping_address": {"country_code": "FR", "state": "",
                                                "city": "Paris", "street_line1": "x",
                                                "street_line2": "", "post_code": "75001"}}}
        if kind == "pre_checkout_query":
            return {kind: {"id": "1", "from": user, "currency": "EUR", "total_amount": 100,
                           "invoice_payload": "p"}}
        if kind in ("chat_boost", "removed_chat_boost"):
            source = {"source": "premium", "user": user}
            chat = {"id": -5, "type": "channel", "title": "Canal"}
            if kind == "chat_boost":
                return {kind: {"chat": chat, "boost": {
                    "boost_id": "b", "add_date": DATE, "expiration_date": DATE + 9,
                    "source": source}}}
            return {kind: {"chat": chat, "boost_id": "b", "remove_date": DATE,
                           "source": source}}
        if kind == "business_connection":
            return {kind: {"id": "bc", "user": user, "user_chat_id": user["id"],
                           "date": DATE, "is_enabled": True, "can_reply": True}}
        if kind == "deleted_business_messages":
            return {kind: {"business_connection_id": "bc", "message_ids": [1],
                           "chat": {"id": user["id"], "type": "private",
                                    "first_name": "X"}}}
        return {"purchased_paid_media": {"from": user, "paid_media_payload": "p"}}

    def updates(self, count: int) -> Iterator[dict[str, Any]]:
        """`count` updates; about one in twenty is a redelivery of an earlier one."""
        for _ in range(count):
            if self.sent and self.random.random() < 0.05:
                yield self.random.choice(self.sent)
                continue
            self.update_id += 1
            update = {"update_id": self.update_id, **self._payload()}
            if len(self.sent) < 500:
                self.sent.append(update)
            yield update
