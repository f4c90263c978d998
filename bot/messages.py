"""The bot's own words (everything it says that is not a quote), in English source strings marked for gettext.

``get(lang)`` gives all of them in one interface language ("en", "ru"; anything else is English), from the
catalogues in ``bot/locale`` (``make messages`` after changing a string here). The module-level constants
are the English source strings. Quotes are never translated: only these words are.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from bot.i18n import N_, format_day, supported, translations

HELP_LINES = (
    N_("Ask a question in plain words; I reply only with quoted, cited excerpts from news articles about "
       "the Way Home (Put' Domoi) movement of wives and mothers of mobilised Russian soldiers."),
    N_("In a private chat: just send your question."),
    N_("In a group: use /ask <question>, mention me, or reply to one of my messages."),
    N_("/sources lists the articles I quote; /more shows further passages for the last question."),
    N_("/privacy says what I keep and for how long; /forget deletes everything linked to you."),
)
PRIVACY_TITLE = N_("What I keep, and for how long")
PRIVACY_LINES = (
    N_("Your question is used to search, then dropped. I only count questions per day and language "
       "(answered or not): no text, no name, no Telegram id."),
    N_("A vote keeps 👍 or 👎, its day and the passages it was about. While the answer is kept, a scrambled "
       "code made from your Telegram id and that answer stops double votes; without a secret key on the "
       "server it cannot be turned back into your id, and it is dropped with the answer."),
    N_("While the bot runs, it remembers in memory only (never on disk) your last answer for /more and how "
       "often you asked, to slow down floods. A restart forgets both."),
    N_("The logs never contain your questions, your name or your Telegram id."),
    N_("Who can see it: only the people who run this bot, on its server. This chat itself is kept by Telegram "
       "and on your phone: to remove it, delete the chat in Telegram."),
    N_("If you chose a language with /language, I keep that choice under a scrambled code, not your Telegram "
       "id. If you used /subscribe, I keep your chat's number and language, to send the lists, until "
       "/unsubscribe."),
    N_("/forget deletes everything linked to you now."),
)
PRIVACY_KEPT_QUESTIONS = N_("The people who run this bot have chosen to keep question texts, to find what the "
                            "articles are missing: each is stored with the day only, never with a name, an id "
                            "or a chat.")
FORGOTTEN = N_("Done: I deleted everything I kept that was linked to you; what remains carries no name and no id. "
               "To remove this chat from your phone, delete it in Telegram.")
START_INTRO = N_("I answer questions about the Way Home (Put' Domoi) movement with quotes from news articles.")
START_TAP = N_("Tap an example question below, or send your own.")
TRY = N_("Try:")
REPL_HINT = N_("Type a question, /help, /sources, /more, or /quit.")
UNKNOWN_COMMAND = N_("Unknown command. Send /help to see how to ask.")
NO_MORE = N_("No more passages for the last question. Ask another one.")
QUESTION_TRIMMED = N_("Question trimmed for search.")
NOT_TEXT = N_("I can only read text questions. Send your question as a message.")
ERROR = N_("Sorry, something went wrong on my side, not yours. Please send your question again.")
ALSO_IN = N_("Also reported by")
MORE_BUTTON = N_("More passages")
SHOWN_OF = N_("{shown} of {total}")  # on the More button: passages shown so far, of all found
SOURCES_TITLE = N_("Articles I quote")
SOURCES_FROM = N_("Articles I quote from “{publisher}”")
NO_SOURCES_FROM = N_("I have no articles from a publisher called “{publisher}”. Send /sources to see them all.")
LATEST_TITLE = N_("The newest articles and posts")
PAGE_OF = N_("page {page} of {pages}")
PREVIOUS = N_("‹ Back")
NEXT = N_("Next ›")
UNTITLED = N_("Untitled article")
PUBLISHER_UNKNOWN = N_("publisher unknown")
DATE_UNKNOWN = N_("date unknown")
CHANNEL_PUBLISHER = N_("{channel} (Telegram)")  # the publisher of a Telegram channel post
FORWARDED_FROM = N_("forwarded from {origin}")  # a channel post quoting someone else's words
USAGE = N_("Ask a question about the Way Home (Put' Domoi) movement, e.g. "
           "“How many followers does the Way Home channel have?”")
NOT_FOUND = N_("I found nothing about that in my articles. I can answer questions about the Way Home (Put' Domoi) "
               "movement: its members, their protests and demands, and the state's response — for example "
               "“Who is Maria Andreyeva?” or “How did the authorities react to the protests?”. "
               "Send /sources to see the articles I quote.")
EXAMPLES = (
    N_("How many followers does the Way Home channel have?"),
    N_("Who is Maria Andreyeva?"),
    N_("How did the authorities respond to the protests?"),
)
THANKS = N_("Thanks for your feedback.")
ALREADY = N_("Your vote is already noted.")
EXPIRED = N_("This answer is too old for its buttons to work. Please ask your question again.")
ASK_PROMPT = N_("What would you like to know? Reply to this message with your question.")
ASK_PLACEHOLDER = N_("Your question…")
GROUP_GREETING = N_("Hello! I answer questions about the Way Home movement only with quotes from news articles, "
                    "with links to them. Here, ask with /ask <question>, mention me, or reply to one of my "
                    "messages. Or tap an example:")
LANGUAGE_PROMPT = N_("Which language should I speak with you? Quotes always stay in the language of their article.")
LANGUAGE_AUTO = N_("Same as my Telegram app")
LANGUAGE_SET = N_("From now on I will speak English with you.")
LANGUAGE_AUTO_SET = N_("I will speak the language of your Telegram app.")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}  # each in its own language: never translated
NEW_ARTICLES = N_("New in my articles:")
SUBSCRIBED = N_("Done: when new articles or posts arrive, I will send you one short list of them. /unsubscribe stops it.")
UNSUBSCRIBED = N_("Done: I will not send you lists of new articles. /subscribe starts them again.")
SHARE_BUTTON = N_("Share this answer")
ADD_TO_GROUP = N_("Add me to a group")
OPEN_IN_BOT = N_("Ask the bot this question")
INLINE_HINT = N_("Type a question about the Way Home movement")
INLINE_NOTHING = N_("Nothing found: tap to see what I can answer")
COMMANDS = (  # the Telegram command menu in private chats: (command, description)
    ("start", N_("What I know, with example questions")),
    ("more", N_("More passages for the last question")),
    ("latest", N_("The newest articles and posts")),
    ("sources", N_("The articles I quote")),
    ("subscribe", N_("Get a short list when new articles arrive")),
    ("unsubscribe", N_("Stop the lists of new articles")),
    ("language", N_("Choose my language")),
    ("help", N_("How to ask")),
    ("privacy", N_("What I keep and for how long")),
    ("forget", N_("Delete everything linked to you")),
)
GROUP_COMMANDS = (  # the command menu in groups
    ("ask", N_("Ask a question")),
    ("more", N_("More passages for the last question")),
    ("latest", N_("The newest articles and posts")),
    ("sources", N_("The articles I quote")),
    ("help", N_("How to ask")),
    ("privacy", N_("What I keep and for how long")),
    ("forget", N_("Delete everything linked to you")),
)
DESCRIPTION = N_("I answer questions about the Way Home (Put' Domoi) movement of wives and mothers of mobilised "
                 "Russian soldiers — only with quotes from news articles, each with its source and a link. I never "
                 "write answers of my own. Send a question, or press Start to see examples.")
SHORT_DESCRIPTION = N_("Questions about the Way Home movement, answered only with cited quotes from news articles.")


@dataclass(frozen=True)
class Texts:
    """Every text above in one language (fields named as the constants), plus the composed lines."""

    lang: str
    HELP_LINES: tuple[str, ...]
    START_INTRO: str
    START_TAP: str
    TRY: str
    REPL_HINT: str
    UNKNOWN_COMMAND: str
    NO_MORE: str
    QUESTION_TRIMMED: str
    NOT_TEXT: str
    ERROR: str
    ALSO_IN: str
    MORE_BUTTON: str
    SHOWN_OF: str
    SOURCES_TITLE: str
    SOURCES_FROM: str
    NO_SOURCES_FROM: str
    LATEST_TITLE: str
    PAGE_OF: str
    PREVIOUS: str
    NEXT: str
    UNTITLED: str
    PUBLISHER_UNKNOWN: str
    DATE_UNKNOWN: str
    CHANNEL_PUBLISHER: str
    FORWARDED_FROM: str
    USAGE: str
    NOT_FOUND: str
    EXAMPLES: tuple[str, ...]
    THANKS: str
    ALREADY: str
    EXPIRED: str
    ASK_PROMPT: str
    ASK_PLACEHOLDER: str
    GROUP_GREETING: str
    LANGUAGE_PROMPT: str
    LANGUAGE_AUTO: str
    LANGUAGE_SET: str
    LANGUAGE_AUTO_SET: str
    NEW_ARTICLES: str
    SUBSCRIBED: str
    UNSUBSCRIBED: str
    SHARE_BUTTON: str
    ADD_TO_GROUP: str
    OPEN_IN_BOT: str
    INLINE_HINT: str
    INLINE_NOTHING: str
    COMMANDS: tuple[tuple[str, str], ...]
    GROUP_COMMANDS: tuple[tuple[str, str], ...]
    DESCRIPTION: str
    SHORT_DESCRIPTION: str
    PRIVACY_TITLE: str
    PRIVACY_LINES: tuple[str, ...]
    PRIVACY_KEPT_QUESTIONS: str
    FORGOTTEN: str

    def gettext(self, message: str) -> str:
        """``message`` in this language when the catalogue has it (e.g. a refusal the answer stage set in
        English), else unchanged."""
        return translations(self.lang).gettext(message) if message else message

    def date(self, iso: str) -> str:
        """A publication date as this language writes it (English: the ISO date)."""
        return format_day(iso, self.lang)

    def trimmed(self, limit: int) -> str:
        """The note on a question cut to its first ``limit`` characters (with the language's plural forms)."""
        return translations(self.lang).ngettext(
            "Your message was long: I searched with its first {limit} character.",
            "Your message was long: I searched with its first {limit} characters.", limit).format(limit=limit)

    def rate_limited(self, seconds: int) -> str:
        """The gentle "one moment" a user over the question limit gets once (with the plural forms)."""
        return translations(self.lang).ngettext(
            "I need a moment before the next question. Please ask again in {seconds} second.",
            "I need a moment before the next question. Please ask again in {seconds} seconds.",
            seconds).format(seconds=seconds)

    def inline_wait(self, seconds: int) -> str:
        """Inline mode's button when a user is over its limit (at most 64 characters)."""
        return translations(self.lang).ngettext("One moment: go on typing in {seconds} second",
                                                "One moment: go on typing in {seconds} seconds",
                                                seconds).format(seconds=seconds)

    def and_more(self, n: int) -> str:
        """The last line of a list cut short: "…and N more: /latest"."""
        return translations(self.lang).ngettext("…and {n} more: /latest", "…and {n} more: /latest", n).format(n=n)

    def retention_line(self, days: float) -> str:
        """The /privacy line saying how long the answers behind buttons are kept."""
        count = int(days) if float(days).is_integer() else 2  # a fraction takes the "2 days" form (2,5 дня)
        shown = f"{days:g}".replace(".", "," if self.lang == "ru" else ".")
        line = translations(self.lang).ngettext(
            "The passages behind “More passages” and 👍/👎 are kept for {days} day under a random number, then "
            "deleted: no question, no name, no chat.",
            "The passages behind “More passages” and 👍/👎 are kept for {days} days under a random number, then "
            "deleted: no question, no name, no chat.", count)
        return line.format(days=shown)

    def corpus_line(self, articles: int, first: str, last: str) -> str:
        """'I know N articles, published A to B.' (with the language's plural forms and dates)."""
        ngettext = translations(self.lang).ngettext
        if first and last and first != last:
            line = ngettext("I know {n} article, published {first} to {last}.",
                            "I know {n} articles, published {first} to {last}.", articles)
        elif first:
            line = ngettext("I know {n} article, published {first}.", "I know {n} articles, published {first}.",
                            articles)
        else:
            line = ngettext("I know {n} article.", "I know {n} articles.", articles)
        line = line.format(n=articles, first=self.date(first), last=self.date(last))
        return line[:-1] if line.endswith("..") else line  # a date ending in "г." ends the sentence too


def _translated(name: str, gettext: Any) -> Any:
    value = globals()[name]
    if isinstance(value, str):
        return gettext(value)
    if name.endswith("COMMANDS"):
        return tuple((command, gettext(description)) for command, description in value)
    return tuple(gettext(item) for item in value)


@cache
def _build(lang: str) -> Texts:
    gettext = translations(lang).gettext
    values = {f.name: _translated(f.name, gettext) for f in fields(Texts) if f.name != "lang"}
    return Texts(lang=lang, **values)


def get(lang: str | None = None) -> Texts:
    """The bot's words in ``lang`` ("ru", "ru-RU"…); English for None or a language it does not speak."""
    return _build(supported(lang))


def corpus_line(articles: int, first: str, last: str) -> str:
    """The English corpus line (see ``Texts.corpus_line``)."""
    return get().corpus_line(articles, first, last)
