"""glossary.md's key terms, used the same way throughout each catalogue.

A concept named in the English text must come out as the glossary's term in
Finnish and Swedish, and no catalogue may use a second word for the same
concept. Plain Finnish may leave a term out to keep a sentence short, but never
swaps it for another one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from babel.messages.catalog import Catalog

from app import catalogues


@dataclass(frozen=True)
class Term:
    english: str | None  # how the concept appears in the English msgids (a regex, any case)
    fi: str  # regular expressions over lower-cased text: the term, inflected
    sv: str
    avoid: dict[str, list[str]] = field(default_factory=dict)  # locale: other words for it


GLOSSARY = [
    Term("work ability", fi=r"työky", sv=r"arbetsförmåg",
         avoid={"fi": [r"työkapasiteet"], "sv": [r"arbetskapacitet", r"arbetsduglig"],
                "fi@selko": [r"työkapasiteet"]}),
    Term("contact request", fi=r"yhteydenottopyyn", sv=r"begäran om kontakt",
         avoid={"fi": [r"soittopyyn"], "sv": [r"kontaktbegäran", r"kontaktförfrågan"]}),
    Term("contact person", fi=r"asiakasvastaava|yhteyshenkilö", sv=r"egn?[ae]n? kontaktperson",
         avoid={"fi": [r"omatyöntekijä", r"vastuutyöntekijä"],
                "sv": [r"klientansvarig", r"ansvarsperson", r"(?<!egen )(?<!egna )kontaktperson"]}),
    Term("reference code", fi=r"viitetunnu", sv=r"referenskod",
         avoid={"fi": [r"viitenumer", r"viitekoodi"], "sv": [r"referensnummer", r"ärendenummer"],
                "fi@selko": [r"viitenumer", r"viitekoodi"]}),
    Term("consent", fi=r"suostum", sv=r"samtyck",
         avoid={"sv": [r"medgivande"]}),
    Term("privacy notice", fi=r"tietosuojaselost", sv=r"dataskyddsbeskrivning",
         avoid={"fi": [r"tietosuojailmoitu"],
                "sv": [r"integritetspolicy", r"dataskyddsmeddelande"]}),
    Term("accessibility statement", fi=r"saavutettavuusselost", sv=r"tillgänglighetsutlåtande",
         avoid={"sv": [r"tillgänglighetsredogörelse"]}),
    Term("occupational health", fi=r"työterveys", sv=r"företagshälsovård",
         avoid={"fi": [r"työterveyshoito"], "sv": [r"arbetshälsovård"]}),
    Term("kela", fi=r"\bkela", sv=r"\bfpa\b", avoid={"sv": [r"\bkela"]}),
    Term("employment services", fi=r"työllisyyspalvelu", sv=r"arbets- och näringstjänst",
         avoid={"fi": [r"työvoimatoimisto"], "sv": [r"arbetskraftsbyrå", r"te-byrå"]}),
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
