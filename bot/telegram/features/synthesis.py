"""The network's annual picture in the chat: /synthese [année] (coordinators and
recipients: the PDF, then the key charts as images), /mon_bilan [année] (managers: their
place against the network), /synthese_exclure and /synthese_reintegrer (coordinators:
what the synthesis leaves out).

The synthesis is read from the database here and computed, drawn and printed in a worker
thread; the closing's blocks are `place_reports`' job.
"""

from __future__ import annotations

import logging
import re

from telegram import InputMediaPhoto, Update
from telegram.ext import ContextTypes

from bot import pdf_worker
from bot.synthesis import WHOLE_PLACE, comment_key, compute, load_inputs
from bot.telegram import place_reports, texts
from bot.telegram.context import argument, say, services
from bot.telegram.views import escape
from campaign.states import CampaignStatus
from campaign.synthesis.bars import percent
from campaign.synthesis.render import filename
from storage.campaigns import Campaign, find_campaign, latest_started_campaign, list_campaigns
from storage.people import places_of_manager
from storage.place_lookup import lookup_place
from storage.synthesis import exclude, include

log = logging.getLogger(__name__)

DOCUMENT_AND_CHARTS = pdf_worker.Named("campaign.synthesis.document", "document_and_charts")

_YEAR = re.compile(r"^\d{4}$")


async def _campaign(update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str
                    ) -> Campaign | None:
    """The campaign named by the argument (a year), else the open one or the latest
    closed; None after telling the person why."""
    s = services(context)
    chat_id = update.effective_chat.id
    args = context.args or []
    if len(args) > 1 or (args and not _YEAR.match(args[0])):
        await say(context, chat_id, usage)
        return None
    campaign = find_campaign(s.db, int(args[0])) if args else latest_started_campaign(s.db)
    if campaign is not None and campaign.status == CampaignStatus.DRAFT:
        campaign = None
    if campaign is None:
        years = ", ".join(str(c.year) for c in list_campaigns(s.db)
                          if c.status != CampaignStatus.DRAFT)
        await say(context, chat_id, texts.SYNTHESIS_UNKNOWN.format(year=args[0], years=years)
                  if args and years else texts.SYNTHESIS_NO_CAMPAIGN)
    return campaign


async def synthese(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/synthese [année]: the PDF as a document, the key charts as images."""
    s = services(context)
    chat_id = update.effective_chat.id
    campaign = await _campaign(update, context, texts.SYNTHESIS_USAGE)
    if campaign is None:
        return
    await say(context, chat_id, texts.SYNTHESIS_WORKING.format(year=campaign.year))
    inputs = load_inputs(s.db, campaign)
    try:
        # in the worker process: seconds of Python for a whole network, which in a
        # thread of the bot's would hold up every manager's answer meanwhile
        synthesis = await pdf_worker.run(compute, inputs, s.grid)
        pdf, charts = await pdf_worker.run(DOCUMENT_AND_CHARTS, s.grid, synthesis)
    except Exception:
        log.exception("the synthesis of %s failed", campaign.year)
        await say(context, chat_id, texts.SYNTHESIS_FAILED.format(year=campaign.year))
        return
    for warning in synthesis["avertissements"]:
        await say(context, chat_id, escape(warning))
    figures = synthesis["participation"]
    caption = texts.synthesis_caption(campaign.year, figures["envoyees"],
                                      figures["lieux_invites"],
                                      percent(figures["taux_reponse"] or 0))
    if pdf is None:
        await say(context, chat_id, caption)
        return
    await context.bot.send_document(chat_id, document=pdf,
                                    filename=filename(campaign.year, "pdf"), caption=caption)
    if len(charts) == 1:
        await context.bot.send_photo(chat_id, photo=charts[0],
                                     caption=texts.SYNTHESIS_CHARTS.format(year=campaign.year))
    elif charts:
        await context.bot.send_media_group(chat_id, media=[
            InputMediaPhoto(chart, caption=texts.SYNTHESIS_CHARTS.format(year=campaign.year)
                            if index == 0 else None)
            for index, chart in enumerate(charts)])
    if campaign.is_open:
        await say(context, chat_id, texts.SYNTHESIS_OPEN.format(year=campaign.year))


async def my_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mon_bilan [année]: each place the person manages, set against the network."""
    s = services(context)
    chat_id = update.effective_chat.id
    places = places_of_manager(s.db, update.effective_user.id)
    if not places:
        await say(context, chat_id, texts.NO_PLACE)  # as every manager's command says
        return
    campaign = await _campaign(update, context, texts.MY_REPORT_USAGE)
    if campaign is None:
        return
    synthesis = await place_reports.synthesis_for(context.application, campaign)
    for place in places:
        for message in place_reports.place_messages(s.db, s.grid, synthesis, place):
            await say(context, chat_id, message)
    if campaign.is_open:
        await say(context, chat_id, texts.SYNTHESIS_OPEN.format(year=campaign.year))


async def _exclusion(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str,
                     leave_out: bool) -> None:
    s = services(context)
    chat_id = update.effective_chat.id
    text = argument(update)
    section = None
    match = re.match(r"^(.*\S)\s+([a-z_]+(?:\.commentaire)?)$", text)
    if match and comment_key(s.grid, match[2]) is not None:
        text, section = match[1], match[2]
    if not text:
        await say(context, chat_id, texts.EXCLUSION_USAGE.format(command=command))
        return
    campaign = latest_started_campaign(s.db)
    if campaign is None:
        await say(context, chat_id, texts.EXCLUSION_NO_CAMPAIGN)
        return
    place = lookup_place(s.db, text, include_removed=True).found  # any spelling
    if place is None:
        await say(context, chat_id, texts.PLACE_UNKNOWN.format(place=escape(text)))
        return
    key = comment_key(s.grid, section) if section else WHOLE_PLACE
    assert key is not None
    if leave_out:
        changed = exclude(s.db, campaign.year, place.id, key, update.effective_user.id)
    else:
        changed = include(s.db, campaign.year, place.id, key)
    message = _EXCLUSION_REPLIES[(key == WHOLE_PLACE, leave_out, changed)]
    section_title = "" if key == WHOLE_PLACE else s.grid.section(key.split(".")[0]).title
    await say(context, chat_id, message.format(
        place=escape(place.name), name=escape(place.name), year=campaign.year,
        section=section_title))


# (whole place?, leaving out?, did it change?) → the reply
_EXCLUSION_REPLIES = {
    (True, True, True): texts.PLACE_EXCLUDED,
    (True, True, False): texts.PLACE_ALREADY_EXCLUDED,
    (True, False, True): texts.PLACE_INCLUDED,
    (True, False, False): texts.PLACE_NOT_EXCLUDED,
    (False, True, True): texts.COMMENT_EXCLUDED,
    (False, True, False): texts.COMMENT_ALREADY_EXCLUDED,
    (False, False, True): texts.COMMENT_INCLUDED,
    (False, False, False): texts.COMMENT_NOT_EXCLUDED,
}


async def exclude_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/synthese_exclure <lieu> [partie]."""
    await _exclusion(update, context, "synthese_exclure", leave_out=True)


async def include_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/synthese_reintegrer <lieu> [partie]."""
    await _exclusion(update, context, "synthese_reintegrer", leave_out=False)
