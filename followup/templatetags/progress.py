"""Template helpers for showing progress as text, never as colour alone."""

from django import template

from promises.targets import target_text

register = template.Library()


@register.filter
def target_in_words(activity):
    """{{ activity|target_in_words }} → "minst 30 trafikkontroller per år"."""
    return target_text(activity)


@register.filter
def unit_for(activity, quantity):
    """{{ activity|unit_for:13 }} → "trafikkontroller"."""
    return activity.unit_for(quantity)
