"""Your own prices on the command line: ``--price-book FILE`` and ``--discount
PROVIDER_OR_MODEL:PERCENT`` (repeatable), read into one ``pricing.book.PriceBook`` the commands
price with. A bad book is one error line (exit 2); what reading it found worth saying (a model
the book makes free) is a warning on stderr."""

from __future__ import annotations

import argparse
import sys

from cli.args import CliError
from pricing.book import PriceBook, PriceBookError, checked, discount_from_text, read_book_file
from pricing.catalog import Catalog, load_catalog


def add_book_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "your prices",
        "a price book of your own on top of the table (see README, 'Your own prices')",
    )
    group.add_argument(
        "--price-book",
        default=None,
        metavar="FILE",
        help="a price book (TOML): discounts, overrides and private models of your own",
    )
    group.add_argument(
        "--discount",
        action="append",
        default=[],
        metavar="PROVIDER_OR_MODEL:PERCENT",
        help="a discount on every token price of a provider or a model, as in openai:20 "
        "(repeatable; a model's own discount replaces its provider's)",
    )


def book_from_args(args: argparse.Namespace, catalog: Catalog | None = None) -> PriceBook:
    """The book of ``--price-book`` and ``--discount`` (empty when neither is given); its
    warnings are printed on stderr."""
    catalog = catalog or load_catalog()
    book = PriceBook()
    flag = "--price-book"
    try:
        if args.price_book is not None:
            book = read_book_file(args.price_book, catalog)
        if args.discount:
            flag = "--discount"
            flags = PriceBook(tuple(discount_from_text(t, catalog) for t in args.discount))
            book = checked(book.merged(flags), catalog, "the book and --discount")
    except PriceBookError as exc:
        raise CliError(f"argument {flag}: {exc}") from None
    for warning in book.warnings:
        print(f"{args.where}: warning: {warning}", file=sys.stderr)
    return book
