from django.shortcuts import render

from followup.queries import period_overviews, published_periods


def index(request):
    """The national index: every published medborgarlöfte with its activities' progress."""
    overviews = period_overviews(published_periods())
    return render(request, "followup/index.html", {"overviews": overviews})
