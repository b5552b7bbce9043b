"""Checking FHIR documents: valid R4 by the models of fhir.resources (R4B, whose Questionnaire
and QuestionnaireResponse are R4's), and by the rules those models leave out: the code
values, unique linkIds, enableWhen answers that exist, a response whose every item and
answer fits the Questionnaire it names."""

from __future__ import annotations

from collections.abc import Iterator

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
# R4's required code systems that the models take as any code.
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
              "string", "text", "url", "choice", "open-choice", "attachment", "reference",
              "quantity"}
PUBLICATION_STATUSES = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
MAX_LENGTH_TYPES = {"boolean", "decimal", "integer", "string", "text", "url", "open-choice"}
ANSWER_VALUES = {"string": "valueString", "text": "valueString", "date": "valueDate",
                 "choice": "valueCoding", "integer": "valueInteger"}


def walk(items: list[dict]) -> Iterator[dict]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def by_link_id(questionnaire: dict) -> dict[str, dict]:
    return {item["linkId"]: item for item in walk(questionnaire["item"])}


def option_codings(item: dict) -> set[tuple[str, str]]:
    return {(option["valueCoding"]["system"], option["valueCoding"]["code"])
            for option in item.get("answerOption", [])}


def check_questionnaire(document: dict) -> None:
    """A valid R4 Questionnaire, by the models and by the rules they leave out."""
    Questionnaire.model_validate(document)
    assert document["status"] in PUBLICATION_STATUSES
    items = list(walk(document["item"]))
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))  # que-2
    found = by_link_id(document)
    for item in items:
        assert item["type"] in ITEM_TYPES, item["linkId"]
        if item["type"] == "display":
            assert "item" not in item and "required" not in item  # que-1, que-6
        if item["type"] == "group":
            assert item["item"]  # que-1
        if "answerOption" in item:
            assert item["type"] in {"choice", "open-choice"}  # que-5
        if "maxLength" in item:
            assert item["type"] in MAX_LENGTH_TYPES  # que-10
        for condition in item.get("enableWhen", []):
            assert condition["operator"] in OPERATORS
            lead = found[condition["question"]]
            coding = condition["answerCoding"]
            assert (coding["system"], coding["code"]) in option_codings(lead), item["linkId"]
        assert item.get("enableBehavior", "any") in {"any", "all"}
        if len(item.get("enableWhen", [])) > 1:
            assert "enableBehavior" in item  # que-12


def check_response(document: dict, questionnaire: dict) -> None:
    """A valid R4 QuestionnaireResponse whose items and answers fit the Questionnaire."""
    QuestionnaireResponse.model_validate(document)
    assert document["status"] in RESPONSE_STATUSES
    assert document["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    check_response_items(document.get("item", []), questionnaire["item"])


def check_response_items(items: list[dict], asked: list[dict]) -> None:
    """Each item is one asked at this level (so the nesting matches), in the same order."""
    order = [item["linkId"] for item in asked]
    positions = []
    for item in items:
        assert item["linkId"] in order, item["linkId"]
        positions.append(order.index(item["linkId"]))
        question = asked[positions[-1]]
        assert question["type"] != "display"
        if question["type"] == "group":
            assert "answer" not in item
            check_response_items(item["item"], question["item"])
            continue
        answers = item["answer"]
        assert answers
        assert question.get("repeats") or len(answers) == 1, item["linkId"]
        for answer in answers:
            (name, value), = answer.items()
            assert name == ANSWER_VALUES[question["type"]], item["linkId"]
            if name == "valueCoding":
                assert (value["system"], value["code"]) in option_codings(question)
    assert positions == sorted(positions)


def response_answers(document: dict) -> dict[str, list]:
    """linkId -> the answer values, e.g. codes of codings."""
    found = {}
    for item in walk(document.get("item", [])):
        if "answer" in item:
            found[item["linkId"]] = [value.get("code", value) if isinstance(value, dict)
                                     else value
                                     for answer in item["answer"] for value in answer.values()]
    return found


def translations(element: dict) -> dict[str, str]:
    """lang -> text, from an element's translation extensions."""
    result = {}
    for extension in element.get("extension", []):
        assert extension["url"] == TRANSLATION
        parts = {part["url"]: part for part in extension["extension"]}
        result[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return result
