"""The report's filter form, filled with what was submitted; an invalid field gets its error
next to it (and `aria-invalid`), with a summary at the top that screen readers announce."""

from __future__ import annotations

from html import escape

from ticketing.reports.errors import ReportInputError
from ticketing.reports.labels import category_label, channel_label
from ticketing.reports.params import EARLIEST, LATEST
from ticketing.reports.periods import Grouping
from ticketing.tickets.models import TicketCategory

Options = list[tuple[str, str]]


def _error_attributes(name: str, error: ReportInputError | None) -> tuple[str, str]:
    """The attributes for the control, and the message element after it."""
    if error is None or error.field != name:
        return "", ""
    return (
        f' aria-invalid="true" aria-describedby="error-{name}"',
        f'<span class="field-error" id="error-{name}">{escape(error.msg)}</span>',
    )


def _select(name: str, options: Options, chosen: str, error: ReportInputError | None) -> str:
    if chosen and chosen not in {value for value, _ in options}:
        options = [*options, (chosen, f"{chosen} (unknown)")]
    tags = "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(text)}</option>'
        for v, text in options
    )
    attributes, message = _error_attributes(name, error)
    return f'<select name="{name}" id="{name}"{attributes}>{tags}</select>{message}'


def _date(name: str, value: str, error: ReportInputError | None) -> str:
    attributes, message = _error_attributes(name, error)
    return (
        f'<input type="date" name="{name}" id="{name}" value="{escape(value)}" '
        f'min="{EARLIEST.isoformat()}" max="{LATEST.isoformat()}"{attributes}>{message}'
    )


def filter_form(
    values: dict[str, str],
    *,
    agents: Options,
    channels: list[str],
    teams: list[str],
    error: ReportInputError | None = None,
) -> str:
    """`values`: the form's fields by name (see `page_params.form_values`)."""
    groups = [(g.value, g.value.title()) for g in Grouping]
    categories = [("", "All categories")] + [
        (c.value, category_label(c.value)) for c in TicketCategory
    ]
    channel_options = [("", "All channels")] + [(c, channel_label(c)) for c in channels]
    team_options = [("", "All teams")] + [(t, t) for t in teams]
    summary = (
        f'<p class="form-error" role="alert" id="form-error">'
        f'<a href="#{error.field}">{escape(error.msg)}</a></p>'
        if error
        else ""
    )
    v = values
    return f"""
<form class="filters card" method="get" action="/reports/" id="report-form" novalidate>
  {summary}
  <label>From {_date("from", v["from"], error)}</label>
  <label>To {_date("to", v["to"], error)}</label>
  <label>Group by {_select("group", groups, v["group"], error)}</label>
  <label>Channel {_select("channel", channel_options, v["channel"], error)}</label>
  <label>Category {_select("category", categories, v["category"], error)}</label>
  <label>Agent {_select("agent", [("", "All agents"), *agents], v["agent"], error)}</label>
  <label>Team {_select("team", team_options, v["team"], error)}</label>
  <button type="submit" class="primary">Show</button>
</form>"""
