from django.conf import settings
from django.shortcuts import render


def home(request):
    """Shows which site this request was served as, and how it was chosen."""
    return render(
        request,
        "home.html",
        {
            "site": request.site,
            "chosen_by": "SITE_ID" if getattr(settings, "SITE_ID", None) else "Host header",
            "host": request.get_host(),
        },
    )
