from django import template

from clusterwork.surveys.charts import comparison_svg

register = template.Library()


@register.simple_tag
def comparison_chart(comparison):
    return comparison_svg(comparison)
