from django.conf import settings
from django.contrib.sites.models import Site
from django.contrib.sites.shortcuts import get_current_site


class CurrentSiteMiddleware:
    """Sets request.site like django.contrib.sites' middleware, and also serves a
    site's aliases (DJANGO_MULTISITE_PLUS_SITES "aliases") as that site, as
    django-multisite does with its Alias model."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site = self.site_for(request)
        return self.get_response(request)

    @staticmethod
    def site_for(request):
        if getattr(settings, "SITE_ID", None):
            return get_current_site(request)
        host = request.get_host().rsplit(":", 1)[0].lower()
        for site in settings.DJANGO_MULTISITE_PLUS_SITES.values():
            if host in site.get("aliases", []):
                return Site.objects.get(id=site["id"])
        return get_current_site(request)
