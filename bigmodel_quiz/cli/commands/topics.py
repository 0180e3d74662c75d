"""``quiz topics``: topics with question and exercise counts and your accuracy."""

from __future__ import annotations

import typer

from bigmodel_quiz.cli.options import JsonOpt, LangOpt, lang_of


def topics(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """List topics with question and exercise counts and your accuracy."""
    from bigmodel_quiz.bank.index import load_index
    from bigmodel_quiz.store import open_store
    from bigmodel_quiz.topics import topic_rows

    language = lang_of(lang)
    bank = load_index()
    with open_store() as store:
        rows = topic_rows(bank, store)
    if json_:
        from bigmodel_quiz.cli.console import print_json

        print_json([r.as_json(language) for r in rows])
        return
    from bigmodel_quiz.cli.console import out
    from bigmodel_quiz.cli.topics_view import render_topics

    render_topics(out(), rows, language)


def register(app: typer.Typer) -> None:
    """Add ``topics``."""
    app.command("topics")(topics)
