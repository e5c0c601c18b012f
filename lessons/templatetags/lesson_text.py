from django import template
from django.contrib.auth.models import User
from django.utils.safestring import SafeString, mark_safe

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
