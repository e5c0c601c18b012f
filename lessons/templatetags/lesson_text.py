from django import template
from django.contrib.auth.models import User
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lessons.partial_dates import format_partial_date
from lessons.rendering import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    # Safe to mark: markdown_to_html sanitises with an allow-list of tags and attributes.
    return mark_safe(markdown_to_html(text or ""))  # noqa: S308


@register.filter(name="person_name")
def person_name(user: User | None) -> str:
    """How a page names a person: their full name, else their username; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


@register.filter(name="get_item")
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


@register.filter(name="partial_date")
def partial_date(value: str | None) -> str:
    """A date known in part, for people in the active language ("May, year not given")."""
    return format_partial_date(value)


# The fields of an actor or treaty card that an outside fact can be about, as the card names them.
ENTITY_FIELD_LABELS = {
    "name": _("Name"),
    "kind": _("Kind"),
    "aliases": _("Also known as"),
    "role": _("Role"),
    "affiliation": _("Affiliation"),
    "description": _("Description"),
    "signed_on": _("Signed"),
    "status": _("Status"),
    "summary": _("Summary"),
    "parties": _("Parties and ratification"),
}


@register.filter(name="entity_field_label")
def entity_field_label(field: str) -> str:
    return str(ENTITY_FIELD_LABELS.get(field, field))
