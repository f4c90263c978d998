"""Fixed short labels and help texts (the only words the bot says that are not quotes)."""

from __future__ import annotations

HELP_LINES = (
    "Ask a question in plain words; I reply only with quoted, cited excerpts from news articles about "
    "the Way Home (Put' Domoi) movement of wives and mothers of mobilised Russian soldiers.",
    "In a private chat: just send your question.",
    "In a group: use /ask <question>, mention me, or reply to one of my messages.",
    "/sources lists the articles I quote; /more shows further passages for the last question.",
)
START_INTRO = "I answer questions about the Way Home (Put' Domoi) movement with quotes from news articles."
UNKNOWN_COMMAND = "Unknown command. Send /help to see how to ask."
NO_MORE = "No more passages for the last question. Ask another one."
TRIMMED = "Your message was long: I searched with its first {limit} characters."
NOT_TEXT = "I can only read text questions. Send your question as a message."
RATE_LIMITED = "You are asking quickly; please wait {seconds} seconds and ask again."
ERROR = "Sorry, something went wrong while answering. Please try again."
ALSO_IN = "Also reported by"
MORE_BUTTON = "More passages"
SOURCES_TITLE = "Articles I quote"
UNTITLED = "Untitled article"
PUBLISHER_UNKNOWN = "publisher unknown"
DATE_UNKNOWN = "date unknown"
USAGE = ("Ask a question about the Way Home (Put' Domoi) movement, e.g. "
         "“How many followers does the Way Home channel have?”")
NOT_FOUND = ("I found nothing about that in my articles. I can answer questions about the Way Home (Put' Domoi) "
             "movement: its members, their protests and demands, and the state's response — for example "
             "“Who is Maria Andreyeva?” or “How did the authorities react to the protests?”. "
             "Send /sources to see the articles I quote.")
EXAMPLES = (
    "How many followers does the Way Home channel have?",
    "Who is Maria Andreyeva?",
    "How did the authorities respond to the protests?",
)


def corpus_line(articles: int, first: str, last: str) -> str:
    """'I know N articles (published from A to B).'"""
    noun = "article" if articles == 1 else "articles"
    if first and last and first != last:
        return f"I know {articles} {noun}, published {first} to {last}."
    if first:
        return f"I know {articles} {noun}, published {first}."
    return f"I know {articles} {noun}."
