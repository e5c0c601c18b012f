"""A small reader of QTI response processing, enough to score the items a lesson exports: it checks that
an exported item scores an answer as the lesson's own grading does."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

Value = Any  # None, a string, a float, or a list of them


class ItemScorer:
    def __init__(self, item: Element) -> None:
        self.item = item
        self.declarations = {d.get("identifier"): d for d in item.findall("responseDeclaration")}

    def score(self, responses: dict[str, Value]) -> float:
        self.responses = responses
        self.outcomes: dict[str, Value] = {"SCORE": 0.0}
        processing = self.item.find("responseProcessing")
        assert processing is not None
        self.run(list(processing))
        return float(self.outcomes["SCORE"])

    def run(self, rules: list[Element]) -> None:
        for rule in rules:
            if rule.tag == "setOutcomeValue":
                self.outcomes[rule.get("identifier", "")] = self.value(rule[0])
            elif rule.tag == "responseCondition":
                for branch in rule:
                    if branch.tag == "responseElse" or self.value(branch[0]):
                        self.run(list(branch)[0 if branch.tag == "responseElse" else 1 :])
                        break
            else:
                raise AssertionError(f"unexpected rule {rule.tag}")

    def value(self, expression: Element) -> Value:
        tag = expression.tag
        if tag == "baseValue":
            text = expression.text or ""
            return float(text) if expression.get("baseType") == "float" else text
        if tag == "variable":
            name = expression.get("identifier", "")
            return self.responses.get(name) if name in self.declarations else self.outcomes.get(name)
        if tag == "correct":
            declaration = self.declarations[expression.get("identifier")]
            values = [value.text for value in declaration.findall("correctResponse/value")]
            return float(values[0]) if declaration.get("baseType") == "float" else values
        if tag == "sum":
            return sum(float(self.value(child) or 0) for child in expression)
        if tag == "multiple":
            found: list[Value] = []
            for child in expression:
                value = self.value(child)
                found += value if isinstance(value, list) else [] if value is None else [value]
            return found
        if tag == "and":
            return all(self.value(child) for child in expression)
        if tag == "match":
            first, second = (self.value(child) for child in expression)
            return first is not None and first == second
        if tag == "index":
            values = self.value(expression[0]) or []
            position = int(expression.get("n", "0"))
            return values[position - 1] if 0 < position <= len(values) else None
        if tag == "equal":
            first, second = (self.value(child) for child in expression)
            tolerance = float((expression.get("tolerance") or "0").split()[0])
            return first is not None and abs(float(first) - float(second)) <= tolerance
        if tag == "mapResponse":
            return self.map_response(expression.get("identifier", ""))
        raise AssertionError(f"unexpected expression {tag}")

    def map_response(self, identifier: str) -> float:
        declaration = self.declarations[identifier]
        mapping = declaration.find("mapping")
        assert mapping is not None
        entries = {}
        for entry in mapping.findall("mapEntry"):
            key = entry.get("mapKey", "")
            entries[key.lower() if entry.get("caseSensitive") == "false" else key] = float(
                entry.get("mappedValue", "0")
            )
        value = self.responses.get(identifier)
        values = value if isinstance(value, list) else [] if value is None else [value]
        total = 0.0
        for picked in dict.fromkeys(values):
            total += entries.get(
                picked, entries.get(str(picked).lower(), float(mapping.get("defaultValue", "0")))
            )
        if mapping.get("lowerBound") is not None:
            total = max(total, float(mapping.get("lowerBound", "0")))
        return total
