from django import template

from signals.selectors import live_signals_for_child

register = template.Library()


@register.inclusion_tag("signals/_child_signals.html")
def child_signals(child):
    """The child's live signals, for a child the page has already read through `child_for_user`."""
    return {"child": child, "signals": live_signals_for_child(child=child)}
