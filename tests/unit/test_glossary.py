"""glossary.md's key terms, used the same way throughout each catalogue.

A concept named in the English text must come out as the glossary's term in
Finnish and Swedish, and no catalogue may use a second word for the same
concept. Plain Finnish may leave a term out to keep a sentence short, but never
swaps it for another one: where the glossary gives a plain-Finnish term of its
own ("lupa" for consent, "tunnus" for the reference code, "kyky tehdä työtä" for
work ability…), the client's plain-Finnish pages use it and never the standard
term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from babel.messages.catalog import Catalog

from app import catalogues
from app.saate.schema import FORMS, SAATE


@dataclass(frozen=True)
class Term:
    english: str | None  # how the concept appears in the English msgids (a regex, any case)
    fi: str  # regular expressions over lower-cased text: the term, inflected
    sv: str
    avoid: dict[str, list[str]] = field(default_factory=dict)  # locale: other words for it
    # glossary.md's plain-Finnish term, where it has one of its own; its standard Finnish
    # term (`selko_avoid`) then never appears on the client's plain-Finnish pages.
    selko: str | None = None
    selko_avoid: str | None = None


GLOSSARY = [
    # Plain Finnish keeps "työkyky" only inside its own compound terms: työkykytiimi (the
    # team), apu työkykyyn (work-ability support) and the benefit's name työkyvyttömyyseläke.
    Term("work ability", fi=r"työky", sv=r"arbetsförmåg",
         avoid={"fi": [r"työkapasiteet"], "sv": [r"arbetskapacitet", r"arbetsduglig"],
                "fi@selko": [r"työkapasiteet"]},
         selko=r"kyk\w* tehdä työtä|työkykytiim|apu työkykyyn",
         selko_avoid=r"työky(?:k(?!ytiim|yyn)|v(?!yttömyys))"),
    Term("contact request", fi=r"yhteydenottopyyn", sv=r"begäran om kontakt",
         avoid={"fi": [r"soittopyyn"], "sv": [r"kontaktbegäran", r"kontaktförfrågan"]}),
    Term("contact person", fi=r"asiakasvastaava|yhteyshenkilö", sv=r"egn?[ae]n? kontaktperson",
         avoid={"fi": [r"omatyöntekijä", r"vastuutyöntekijä"],
                "sv": [r"klientansvarig", r"ansvarsperson", r"(?<!egen )(?<!egna )kontaktperson"]}),
    Term("reference code", fi=r"viitetunnu", sv=r"referenskod",
         avoid={"fi": [r"viitenumer", r"viitekoodi"], "sv": [r"referensnummer", r"ärendenummer"],
                "fi@selko": [r"viitenumer", r"viitekoodi"]},
         selko=r"\btunnu", selko_avoid=r"viitetunnu"),
    Term("consent", fi=r"suostum", sv=r"samtyck",
         avoid={"sv": [r"medgivande"]}, selko=r"\blup", selko_avoid=r"suostum"),
    Term("privacy notice", fi=r"tietosuojaselost", sv=r"dataskyddsbeskrivning",
         avoid={"fi": [r"tietosuojailmoitu"],
                "sv": [r"integritetspolicy", r"dataskyddsmeddelande"]},
         selko=r"miten käytämme tietojasi", selko_avoid=r"tietosuojaselost"),
    Term("accessibility statement", fi=r"saavutettavuusselost", sv=r"tillgänglighetsutlåtande",
         avoid={"sv": [r"tillgänglighetsredogörelse"]}),
    Term("occupational health", fi=r"työterveys", sv=r"företagshälsovård",
         avoid={"fi": [r"työterveyshoito"], "sv": [r"arbetshälsovård"]}),
    Term("kela", fi=r"\bkela", sv=r"\bfpa\b", avoid={"sv": [r"\bkela"]}),
    Term("employment services", fi=r"työllisyyspalvelu", sv=r"arbets- och näringstjänst",
         avoid={"fi": [r"työvoimatoimisto"], "sv": [r"arbetskraftsbyrå", r"te-byrå"]}),
    # The saate's parts: "part 2 of 7" and "the form has these parts" say the same word.
    Term(r"\bparts?\b", fi=r"\bos(?:a|i|ie)", sv=r"\bdel(?:en|ar|arna)?\b",
         avoid={"fi": [r"vaihe"], "fi@selko": [r"vaihe"], "sv": [r"(?<!nästa )\bsteg\b"]}),
    # The multi-sector joint service is TYP; its old name TYM is not used (the stored
    # code "tym" is never shown).
    Term(r"\btyp\b", fi=r"\btyp\b", sv=r"\btyp\b",
         avoid={locale: [r"\btym\b"] for locale in ("fi", "sv", "fi@selko")}),
    Term(r"\burgent", fi=r"kiireelli", sv=r"brådsk", selko=r"apua pian",
         selko_avoid=r"kiireelli"),
    Term(r"\bcrisis\b", fi=r"kriisi", sv=r"\bkris", selko=r"tosi vaikeaa",
         selko_avoid=r"kriisi(?!puhel)"),
    # Client pages call the saate simply "the form"; only the other words are ruled out.
    Term(None, fi=r"saate", sv=r"förhandsuppgift",
         avoid={"sv": [r"följebrev"], "fi": [r"saatekirje"]}),
]


def catalogue(locale: str) -> Catalog:
    return catalogues.read_catalogue(catalogues.po_path(locale), locale)


def translations(locale: str) -> list[tuple[str, str]]:
    """(English, translation in lower case) for every translated message."""
    return [
        (" ".join(catalogues.source_forms(message)),
         " ".join(catalogues.translated_forms(message)).lower())
        for message in catalogue(locale)
        if message.id and catalogues.usable(message)
    ]


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_every_concept_comes_out_as_the_glossary_term(locale: str) -> None:
    misses = []
    for english, text in translations(locale):
        for term in GLOSSARY:
            named = term.english and re.search(term.english, english, re.IGNORECASE)
            if named and not re.search(getattr(term, locale), text):
                misses.append((term.english, english, text))
    assert misses == []


@pytest.mark.parametrize("locale", ["fi", "sv", "fi@selko"])
def test_no_catalogue_uses_a_second_word_for_a_concept(locale: str) -> None:
    found = []
    for english, text in translations(locale):
        for term in GLOSSARY:
            for other in term.avoid.get(locale, []):
                if re.search(other, text):
                    found.append((term.english, other, english))
    assert found == []


def test_every_glossary_concept_appears_in_the_english_text() -> None:
    english = [text for text, _ in translations("fi")]
    unused = [term.english for term in GLOSSARY if term.english
              and not any(re.search(term.english, text, re.IGNORECASE) for text in english)]
    assert unused == []


# --- Plain Finnish: the glossary's own plain terms on the client's pages -----------------------

# The flags are hints for the worker, and the staff labels name the questions in the staff
# case view: they live in the schema but only staff read them.
STAFF_ONLY = {str(flag.label._args[-1]) for flag in SAATE.flags} | {  # type: ignore[attr-defined]
    str(question.staff_label._args[-1])  # type: ignore[union-attr]
    for form in FORMS.values() for question in form.questions()}


def client_plain_finnish() -> list[tuple[str, str]]:
    """(English, plain Finnish in lower case) for every message a client may read."""
    template = {message.id: message for message in catalogue("fi@selko") if message.id}
    return [(english, text) for english, text in translations("fi@selko")
            if english not in STAFF_ONLY
            and "public" in catalogues.message_sides(template[english])]


def plain_term_problems(terms: list[Term]) -> list[tuple[str, str, str]]:
    problems = []
    client = client_plain_finnish()
    for term in terms:
        named = [(english, text) for english, text in client
                 if re.search(term.english or "", english, re.IGNORECASE)]
        if not any(re.search(term.selko or "", text) for _, text in named):
            problems.append((term.english or "", "never used", term.selko or ""))
        problems += [(term.english or "", "standard term", english) for english, text in named
                     if re.search(term.selko_avoid or "", text)]
    return problems


def test_plain_finnish_uses_the_glossary_plain_terms() -> None:
    terms = [t for t in GLOSSARY if t.selko]
    assert len(terms) >= 4
    assert plain_term_problems(terms) == []
