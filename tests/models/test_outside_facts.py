"""Facts from outside the article, as an actor or treaty keeps them: checked wherever they are edited (the
admin calls `clean`), since a page links to their addresses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lessons.models import Actor, Treaty

FACT = {
    "field": "signed_on",
    "value": "2025-05-07",
    "source": "The treaty's text",
    "url": "https://example.org/t",
}


def treaty_with(facts: Any) -> Treaty:
    return Treaty(slug="t", name="Treaty", kind="treaty", status="signed", outside_facts=facts)


@pytest.mark.parametrize(
    "facts", [[], [FACT], [{**FACT, "url": ""}], [{**FACT, "url": "HTTP://EXAMPLE.ORG"}]]
)
def test_well_formed_facts_pass(facts: Any) -> None:
    treaty_with(facts).clean()


@pytest.mark.parametrize(
    "facts",
    [
        {"field": "signed_on"},  # not a list
        [{**FACT, "url": "javascript:alert(1)"}],
        [{**FACT, "url": " javascript:alert(1)"}],
        [{**FACT, "field": "role"}],  # a field of an actor, not of a treaty
        [{**FACT, "source": "  "}],
        [{**FACT, "value": ""}],
        [{**FACT, "note": "extra"}],
        [{key: value for key, value in FACT.items() if key != "url"}],
        [{**FACT, "value": 2025}],
    ],
)
def test_malformed_facts_are_refused(facts: Any) -> None:
    with pytest.raises(ValidationError, match="Each fact needs"):
        treaty_with(facts).clean()


def test_an_actor_fact_names_a_field_of_an_actor() -> None:
    Actor(slug="a", name="A", kind="person", outside_facts=[{**FACT, "field": "role"}]).clean()
    with pytest.raises(ValidationError):
        Actor(slug="a", name="A", kind="person", outside_facts=[FACT]).clean()
