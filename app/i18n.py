"""Languages: the registry, which one a request uses, and message-by-message fallback.

The registry comes from the LANGUAGES setting (config.py): adding a language takes
a catalogue in translations/ and one entry there. Public pages carry the
language in the URL (/fi/, /sv/, /selko/); staff pages use the signed-in
user's own setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, request, url_for
from flask_babel import Babel, Domain, get_locale
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from app.markup import safe_translation, tel_href
from app.text import isolated

LANGUAGE_COOKIE = "saate_lang"


@dataclass(frozen=True)
class Language:
    segment: str
    locale: str
    name: str
    html_lang: str
    fallback: str | None
    sides: frozenset[str]
    crisis_line: str

    @property
    def babel_locale(self) -> Locale:
        return Locale.parse(self.locale)


def load_languages(entries: list[dict]) -> dict[str, Language]:
    """Language objects keyed by URL segment, in configured order."""
    languages = {}
    for entry in entries:
        language = Language(
            segment=entry["segment"],
            locale=entry["locale"],
            name=entry["name"],
            html_lang=entry.get("html_lang", entry["locale"].split("@")[0].split("_")[0]),
            fallback=entry.get("fallback"),
            sides=frozenset(entry.get("sides", ["public"])),
            crisis_line=entry.get("crisis_line", "fi"),
        )
        languages[language.segment] = language
    return languages


def languages() -> dict[str, Language]:
    return current_app.extensions["saate_languages"]


def public_languages() -> list[Language]:
    return [lang for lang in languages().values() if "public" in lang.sides]


def staff_languages() -> list[Language]:
    return [lang for lang in languages().values() if "staff" in lang.sides]


def default_language() -> Language:
    return languages()[current_app.config["DEFAULT_LANGUAGE"]]


def language_by_segment(segment: str | None) -> Language | None:
    language = languages().get(segment or "")
    return language if language and "public" in language.sides else None


def language_by_locale(locale: str) -> Language | None:
    for language in languages().values():
        if language.locale == locale:
            return language
    return None


def current_language() -> Language:
    """The language of this request's page."""
    language = g.get("language")
    if language is not None:
        return language
    language = _staff_language() or _language_from_path() or default_language()
    g.language = language
    return language


def _staff_language() -> Language | None:
    """On staff pages: the signed-in user's own setting, else the browser's."""
    from app.sessions import is_staff_request

    if not is_staff_request():
        return None
    from flask_login import current_user

    offered = {lang.locale: lang for lang in staff_languages()}
    if current_user and current_user.is_authenticated and current_user.ui_locale in offered:
        return offered[current_user.ui_locale]
    best = request.accept_languages.best_match(list(offered))
    return offered[best] if best else default_language()


def _language_from_path() -> Language | None:
    # When routing failed (404/405) there are no URL values: read the prefix.
    try:
        first = request.path.strip("/").split("/", 1)[0]
    except RuntimeError:
        return None
    return language_by_segment(first)


def select_locale() -> str:
    return current_language().locale


def preferred_language() -> Language:
    """For `/`: the remembered choice, else Accept-Language, else the default."""
    remembered = language_by_segment(request.cookies.get(LANGUAGE_COOKIE))
    if remembered:
        return remembered
    # Plain Finnish is only ever chosen on purpose, never from the browser's settings.
    offered = {
        lang.locale.replace("_", "-"): lang
        for lang in public_languages()
        if lang.fallback is None
    }
    best = request.accept_languages.best_match(list(offered))
    return offered[best] if best else default_language()


def switch_links() -> list[tuple[Language, str, bool]]:
    """Each public language with the same page's URL in it, and whether it is current."""
    current = current_language()
    rule = request.url_rule
    endpoint = request.endpoint if rule is not None and "lang" in rule.arguments else None
    args = dict(request.view_args or {})
    links = []
    for language in public_languages():
        if endpoint:
            url = url_for(endpoint, **{**args, "lang": language.segment})
        else:
            url = url_for("public.landing", lang=language.segment)
        links.append((language, url, language == current))
    return links


class FallbackDomain(Domain):
    """Loads each language's catalogue and, message by message, its fallback's.

    Flask-Babel loads only the first catalogue gettext finds, so plain Finnish
    (fi@selko) would show English for every message not yet written in it.
    """

    def __init__(self, directory: Path, registry: dict[str, Language]) -> None:
        super().__init__(translation_directories=[str(directory)])
        self.directory = directory
        self.registry = registry
        self._by_locale: dict[str, Translations | NullTranslations] = {}
        self._catalogues: dict[tuple, TemplateCatalogue] = {}

    def get_translations(self) -> Translations | NullTranslations:
        return self.current_catalogue().translations

    def current_catalogue(self) -> TemplateCatalogue:
        """The catalogue of the locale Flask-Babel holds now (force_locale included).

        Remembered beside that locale object until Flask-Babel replaces it (a language
        switch, force_locale), so that a page's fifty or more messages look it up once.
        """
        babel_context = g.get("_flask_babel") if has_app_context() else None
        remembered = getattr(babel_context, "saate_catalogue", None)
        if remembered is not None and remembered[0] is getattr(babel_context, "babel_locale", None):
            return remembered[1]
        locale = get_locale()
        if locale is None:
            return UNTRANSLATED
        found = self.catalogue_for(locale)
        g._flask_babel.saate_catalogue = (locale, found)
        return found

    def translations_for(self, locale: str) -> Translations | NullTranslations:
        cached = self._by_locale.get(locale)
        if cached is not None:
            return cached
        translations = self._load(locale)
        language = language_by_locale_in(self.registry, locale)
        if language and language.fallback and language.fallback != locale:
            # A fresh object: a catalogue must never become its own fallback.
            translations.add_fallback(self._load(language.fallback))
        self._by_locale[locale] = translations
        return translations

    def catalogue_for(self, locale: Locale) -> TemplateCatalogue:
        # Keyed by the locale's parts: comparing Locale objects costs more than the look-up.
        key = (locale.language, locale.territory, locale.script, locale.variant, locale.modifier)
        catalogue = self._catalogues.get(key)
        if catalogue is None:
            catalogue = TemplateCatalogue(self.translations_for(str(locale)))
            self._catalogues[key] = catalogue
        return catalogue

    def _load(self, locale: str) -> Translations | NullTranslations:
        path = self.directory / locale / "LC_MESSAGES" / "messages.mo"
        if not path.exists():
            return NullTranslations()
        with path.open("rb") as fileobj:
            return Translations(fileobj, domain="messages")


class TemplateCatalogue:
    """One language's messages as templates use them: each translated and made safe once
    per process, then looked up (a page asks for twenty or more)."""

    def __init__(self, translations: Translations | NullTranslations) -> None:
        self.translations = translations
        self._safe: dict[str, Markup] = {}
        self._formatted: dict[str, Markup] = {}

    def gettext(self, message: str, variables: dict[str, Any]) -> Markup:
        """Like Jinja's own newstyle gettext: always a format string ("%%" is "%")."""
        if not variables:
            formatted = self._formatted.get(message)
            if formatted is None:
                formatted = self._formatted[message] = self.safe(message) % {}
            return formatted
        return self.safe(message) % variables

    def safe(self, message: str) -> Markup:
        safe = self._safe.get(message)
        if safe is None:
            safe = self._safe[message] = safe_translation(self.translations.ugettext(message))
        return safe

    def ngettext(self, singular: str, plural: str, count: int) -> Markup:
        return safe_translation(self.translations.ungettext(singular, plural, count))

    def pgettext(self, context: str, message: str) -> Markup:
        return safe_translation(self.translations.upgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> Markup:
        return safe_translation(self.translations.unpgettext(context, singular, plural, count))


UNTRANSLATED = TemplateCatalogue(NullTranslations())


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    """Flask-Babel's lazy_gettext, translated through the request's remembered catalogue:
    a form's labels and choices are fifty or more of these on one page."""
    return LazyString(_translated, message, **variables)


def lazy_pgettext(context: str, message: str, **variables: Any) -> LazyString:
    return LazyString(_translated_in_context, context, message, **variables)


def _catalogue_now() -> TemplateCatalogue:
    # Outside an app there is no locale: the message as written, as Flask-Babel gives it.
    if not has_app_context():
        return UNTRANSLATED
    return current_app.extensions["saate_domain"].current_catalogue()


def _translated(message: str, **variables: Any) -> str:
    text = _catalogue_now().translations.ugettext(message)
    return text % variables if variables else text


def _translated_in_context(context: str, message: str, **variables: Any) -> str:
    text = _catalogue_now().translations.upgettext(context, message)
    return text % variables if variables else text


def language_by_locale_in(registry: dict[str, Language], locale: str) -> Language | None:
    return next((lang for lang in registry.values() if lang.locale == locale), None)


class AppBabel(Babel):
    """Flask-Babel whose message domain belongs to the app, not to the extension object."""

    @property
    def domain_instance(self) -> Domain:  # type: ignore[override]
        return current_app.extensions["saate_domain"]


def init_app(app: Flask) -> None:
    registry = load_languages(app.config["LANGUAGES"])
    app.extensions["saate_languages"] = registry
    domain = FallbackDomain(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]), registry)
    app.extensions["saate_domain"] = domain

    install_template_gettext(app, domain)
    app.jinja_env.filters["tel_href"] = tel_href
    # Typed text (names, titles) inside a sentence: {{ name | bdi }}.
    app.jinja_env.filters["bdi"] = isolated

    @app.context_processor
    def language_context() -> dict:
        return {
            "current_language": current_language,
            "language_switch_links": switch_links,
        }


def load_catalogues(app: Flask) -> None:
    """Every language's catalogue read, and each message made safe for templates."""
    domain: FallbackDomain = app.extensions["saate_domain"]
    for language in app.extensions["saate_languages"].values():
        catalogue = domain.catalogue_for(language.babel_locale)
        for message in getattr(catalogue.translations, "_catalog", {}):
            if isinstance(message, str) and message:
                catalogue.safe(message)


def install_template_gettext(app: Flask, domain: FallbackDomain) -> None:
    """Templates' _(), ngettext, pgettext and npgettext, with markup kept to the allowlist.

    Jinja trusts a translated message as HTML once autoescaping is on (every
    template here is HTML); app.markup narrows that trust to a few harmless tags.
    The values filled in are still escaped by Jinja. Each message is made safe
    once per process (a page has twenty or more).
    """
    catalogue = domain.current_catalogue

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().safe(s),
        ngettext=lambda s, p, n: catalogue().ngettext(s, p, n),
        pgettext=lambda c, s: catalogue().pgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().npgettext(c, s, p, n),
        newstyle=True,
    )

    # _() and gettext, by far the most called, go straight to the catalogue rather than
    # through the extension's two wrappers (the same result: the message is Markup either
    # way, so its variables are escaped with or without autoescaping).
    def gettext(message: str, **variables: Any) -> Markup:
        return catalogue().gettext(message, variables)

    app.jinja_env.globals.update(_=gettext, gettext=gettext)
