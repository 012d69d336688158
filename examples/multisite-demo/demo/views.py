import hashlib
import time

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt


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


def visit(request):
    """Counts this browser's visits in its session: each site's address keeps its own session cookie."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return JsonResponse({"site": request.site.name, "visits": request.session["visits"]})


def go_home(request):
    """Redirects to the site's home on its own domain, as views that build absolute URLs do."""
    return redirect(f"http://{request.site.domain}/")


def stream(request):
    """Sends its lines over a second, one at a time, as a streaming response (server-sent progress, exports)."""

    def lines():
        for n in range(3):
            yield f"{request.site.name} line {n}\n"
            time.sleep(0.4)

    return StreamingHttpResponse(lines(), content_type="text/plain")


@csrf_exempt
def upload(request):
    """Answers with the size and SHA-256 of what was posted (uploads pass through whole)."""
    digest, size = hashlib.sha256(), 0
    # Read as a stream: request.body would refuse more than DATA_UPLOAD_MAX_MEMORY_SIZE.
    for chunk in iter(lambda: request.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    return JsonResponse({"site": request.site.name, "bytes": size, "sha256": digest.hexdigest()})


def remember(request):
    """Sets a cookie for the site's whole domain, as SESSION_COOKIE_DOMAIN does on Live servers."""
    response = JsonResponse({"site": request.site.name})
    response.set_cookie("remembered", request.site.domain, domain=request.site.domain)
    return response


def request_headers(request):
    """What the request looked like when it reached Django, behind a proxy or not."""
    names = [
        "HTTP_HOST",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PORT",
        "HTTP_FORWARDED",
        "HTTP_CONNECTION",
        "HTTP_ORIGIN",
    ]
    return JsonResponse({name: request.META.get(name) for name in names} | {"site": request.site.name})
