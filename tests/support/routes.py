"""Walking app.url_map: every route, with an example value for each argument.

A new route whose argument has no example here fails the walk with a clear
message, so new routes join the walking tests (headers, access) by themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import Rule

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    rule: Rule
    url: str
    methods: tuple[str, ...]

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint


def example_values(rule: Rule, examples: Mapping[str, object]) -> dict[str, object]:
    missing = sorted(set(rule.arguments) - set(examples))
    assert not missing, (f"{rule.rule}: give an example value for {', '.join(missing)} "
                         "in the walking test")
    return {name: examples[name] for name in rule.arguments}


def routes(app: Flask, examples: Mapping[str, object]) -> Iterator[Route]:
    """Every rule of the app as a URL built from the examples, with its methods."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        url = adapter.build(rule.endpoint, example_values(rule, examples),
                            method=next(iter(rule.methods - IGNORED_METHODS)))
        yield Route(rule, url, tuple(sorted(rule.methods - IGNORED_METHODS)))
