"""Server-rendered charts and formatting for the teacher's results pages: horizontal bar charts as inline SVG.

The geometry is computed here so the template only places shapes. Every chart carries a <title> and a
<desc>, and the pages that use one also show the same numbers in a table (a chart is never the only way
to read them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lessons.rendering import markdown_to_html
from lessons.selectors.player import points_text

register = template.Library()

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 56
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PADDING = 8
LABEL_CHARACTERS = 22


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value_text: str
    x: int
    y: int
    width: int
    height: int
    text_y: int
    value_x: int
    missing: bool


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    label_x: int
    axis_x: int
    axis_y1: int
    axis_y2: int
    bars: list[Bar]


def _shorten(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_text(value: float | None, *, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{number_format(round(value))}%"
    if float(value).is_integer():
        return number_format(int(value))
    return number_format(round(value, 1), 1)  # number_format cuts digits off; round first


def bar_chart_geometry(
    items: Sequence[tuple[str, float | None]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    max_value: float | None = None,
    unit: str = "",
) -> BarChart:
    """Bars for (label, value) pairs: one row each, scaled to `max_value` (the largest value if not
    given). A value of None draws no bar and reads "—"."""
    values = [value for _label, value in items if value is not None]
    scale_max = max_value if max_value is not None else max(values, default=0)
    scale_max = scale_max if scale_max and scale_max > 0 else 1
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(items):
        y = PADDING + index * ROW_HEIGHT
        clamped = min(max(value or 0, 0), scale_max)
        width = round(bar_area * clamped / scale_max)
        bars.append(
            Bar(
                label=_shorten(str(label)),
                full_label=str(label),
                value_text=value_text(value, unit=unit),
                x=LABEL_WIDTH,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                width=width,
                height=BAR_HEIGHT,
                text_y=y + ROW_HEIGHT // 2 + 5,
                value_x=LABEL_WIDTH + width + 6,
                missing=value is None,
            )
        )
    height = 2 * PADDING + max(len(items), 1) * ROW_HEIGHT
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=height,
        label_x=LABEL_WIDTH - 8,
        axis_x=LABEL_WIDTH,
        axis_y1=PADDING // 2,
        axis_y2=height - PADDING // 2,
        bars=bars,
    )


def render_bar_chart(chart: BarChart) -> SafeString:
    """The chart as inline SVG. Built in Python: a chart of 30 bars through template tags costs more than
    the page's budget allows. Every text is escaped; numbers are plain (never localised) coordinates."""
    rows = []
    for bar in chart.bars:
        tooltip = f"<title>{escape(bar.full_label)}</title>" if bar.label != bar.full_label else ""
        rect = (
            ""
            if bar.missing
            else f'<rect class="results-chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}" />'
        )
        rows.append(
            f'<g class="results-chart-row"><text class="results-chart-label" x="{chart.label_x}" '
            f'y="{bar.text_y}" text-anchor="end">{tooltip}{escape(bar.label)}</text>{rect}'
            f'<text class="results-chart-value" x="{bar.value_x}" y="{bar.text_y}">'
            f"{escape(bar.value_text)}</text></g>"
        )
    chart_id = escape(chart.id)
    svg = (
        f'<svg class="results-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(chart.desc)}</desc>'
        f'<line class="results-chart-axis" x1="{chart.axis_x}" y1="{chart.axis_y1}" x2="{chart.axis_x}" '
        f'y2="{chart.axis_y2}" />{"".join(rows)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text above is escaped


@register.simple_tag
def bar_chart(
    items: Sequence[tuple[str, float | None]],
    chart_id: str,
    title: str,
    desc: str,
    max_value: float | None = None,
    unit: str = "",
) -> SafeString:
    """{% bar_chart items "id" title desc max_value=100 unit="%" %}: an accessible inline SVG bar chart."""
    chart = bar_chart_geometry(
        items, chart_id=chart_id, title=title, desc=desc, max_value=max_value, unit=unit
    )
    return render_bar_chart(chart)


@register.filter(name="minutes_seconds")
def minutes_seconds(seconds: float | None) -> str:
    """Seconds as m:ss (75.4 → "1:15"); "—" when unknown."""
    if seconds is None:
        return "—"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


@register.filter(name="two_decimals")
def two_decimals(value: float | None) -> str:
    """A statistic to two decimals in the active language; "—" when undefined."""
    if value is None:
        return "—"
    # number_format cuts digits off, so round first (and never show "-0.00").
    return number_format(round(value, 2) or 0.0, 2)


@register.filter(name="share_percent")
def share_percent(value: float | None) -> str:
    """A share (0..1) as a whole percentage; "—" when undefined."""
    if value is None:
        return "—"
    return f"{number_format(round(value * 100))}%"


@register.filter(name="points")
def points(value: Decimal | None) -> str:
    """Points as a person writes them (7, 7.5, never 7.00); "" when there are none."""
    if value is None:
        return ""
    return points_text(Decimal(value))


@lru_cache(maxsize=4096)
def _markdown_html(text: str) -> str:
    return markdown_to_html(text)


@register.filter(name="markdown_cached")
def markdown_cached(text: str | None) -> SafeString:
    """Teacher-authored Markdown as sanitised HTML, like `lesson_text`'s `markdown`, but remembered: the same
    prompt or model answer recurs on every row of these pages, and rendering Markdown is slow."""
    # Safe to mark: markdown_to_html sanitises with an allow-list of tags and attributes.
    return mark_safe(_markdown_html(text or ""))  # noqa: S308
