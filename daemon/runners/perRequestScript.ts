/**
 * The bootstrap that makes one runserver answer every site of a project whose settings pick the
 * site by SITE_ID (issue 27). It runs before `manage.py` (`python -c <this> manage.py runserver …`,
 * the gate still first), so no file of the project changes. Every local runserver but one under
 * debugpy gets it, for its readiness path (below); only one for every site gets requests marked
 * with a site, and without a mark everything here keeps the SITE_ID the server started with:
 * - `settings.SITE_ID` is a property of the settings object: within a request the proxy marked for
 *   a site (perRequestSites.ts's header, carrying this server's secret), that site's id as a plain
 *   int (so comparison, hashing, JSON, the ORM and SITE_CACHE all see an int); outside requests
 *   (start-up, checks, the autoreloader) the SITE_ID the server started with. It is held in a
 *   context variable: per thread under the threaded runserver, per task under an ASGI runserver.
 * - URL modules are imported again for each site, under that site, the first time it is asked for,
 *   and the request resolves with that site's own URLconf (`request.urlconf`) when its URLs differ
 *   from the default's: URLs built at import (django CMS's apphooks) follow the site.
 * - Local-memory caches, which per-site servers kept apart by being separate processes, get keys
 *   per site. Channels' consumers (WebSockets, served outside Django's request handling) get the
 *   site of their handshake the same way.
 * - Reads of the site while a module other than a URL module is imported are noted (file, line):
 *   that value would stay for every site. The self-check reports them, and the daemon then serves
 *   each site in a server of its own.
 * - The self-check and readiness path (CHECK_PATH, with the secret in CHECK_HEADER) is answered
 *   by a view of the bootstrap's own at the end of the project's middleware: no page is rendered
 *   or cached for it, and a server whose requests hang in a middleware is not taken for ready.
 */

/** The request header the proxy sets to `<secret>:<site id>`; a client's own is removed at the edge. */
export const SITE_HEADER = 'x-multisite-local-site';
/** The header that asks for the self-check (its value the secret); only the daemon sends it, straight to the server. */
export const CHECK_HEADER = 'x-multisite-local-check';
/** Where the bootstrap answers the readiness probe and the self-check. */
export const CHECK_PATH = '/.multisite-local/check';
/** The environment variable the secret reaches the server in (taken out of os.environ at once). */
export const SECRET_VARIABLE = 'MULTISITE_LOCAL_SITE_SECRET';

export const PER_REQUEST_SCRIPT = String.raw`
import contextvars, hmac, importlib, json, os, runpy, sys, threading, types

_SECRET = os.environ.pop("${SECRET_VARIABLE}", "").encode()
_SITE_META = "HTTP_${SITE_HEADER.toUpperCase().replace(/-/g, '_')}"
_CHECK_META = "HTTP_${CHECK_HEADER.toUpperCase().replace(/-/g, '_')}"
_CHECK_PATH = "${CHECK_PATH}"
_site = contextvars.ContextVar("multisite_local_site", default=None)
_captures = {}
_url_modules = set()
_urlconfs = {}
_lock = threading.RLock()
_installed = []
_check_urls = []


def _secret_ok(value):
    return bool(_SECRET) and hmac.compare_digest(value.encode(), _SECRET)


def _marked_site(meta):
    secret, _, site = (meta.get(_SITE_META) or "").partition(":")
    if not _secret_ok(secret):
        return None
    try:
        return int(site)
    except ValueError:
        return None


def _started_site():
    from django.conf import settings
    return getattr(settings._wrapped, "SITE_ID", None)


def _site_now():
    site = _site.get()
    return _started_site() if site is None else site


def _note_read():
    # The innermost module body on the stack is being imported: the value read is kept there.
    frame = sys._getframe(2)
    for _ in range(80):
        if frame is None:
            return
        if frame.f_code.co_name == "<module>":
            name = frame.f_globals.get("__name__")
            key = (frame.f_code.co_filename, frame.f_lineno)
            if name != "__main__" and key not in _captures and len(_captures) < 20:
                _captures[key] = name
            return
        frame = frame.f_back


def _install():
    if _installed:
        return
    _installed.append(True)
    from django.conf import settings
    settings.INSTALLED_APPS  # the settings module is imported here, as Django would first

    def site_id(self):
        _note_read()
        site = _site.get()
        return getattr(self._wrapped, "SITE_ID") if site is None else site

    # On the class of django.conf.settings (the one LazySettings there is), ahead of the value it caches.
    type(settings).SITE_ID = property(site_id)
    settings.__dict__.pop("SITE_ID", None)
    for conf in getattr(settings, "CACHES", {}).values():
        if str(conf.get("BACKEND", "")).endswith("locmem.LocMemCache"):
            conf["KEY_FUNCTION"] = _site_keyed(conf.get("KEY_FUNCTION"))
    _install_handler()


def _site_keyed(inner):
    def key(key, key_prefix, version):
        from django.core.cache.backends.base import default_key_func
        from django.utils.module_loading import import_string
        made = import_string(inner) if isinstance(inner, str) else (inner or default_key_func)
        return "site%s:%s" % (_site_now(), made(key, key_prefix, version))
    return key


def _walk(resolver, found, patterns, prefix=""):
    from django.urls import URLResolver
    name = getattr(resolver.urlconf_module, "__name__", None)
    if name:
        found.add(name)
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            _walk(pattern, found, patterns, text)
        else:
            patterns.append("%s %s" % (text, pattern.lookup_str))


def _tree(resolver):
    found, patterns = set(), []
    _walk(resolver, found, patterns)
    return found, patterns


def _build_urlconf(site):
    from django.conf import settings
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import RegexPattern
    found, default = _tree(get_resolver())
    _url_modules.update(found)
    if site == _started_site():
        return None
    names = set(_url_modules)
    token = _site.set(site)
    saved = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    try:
        root = importlib.import_module(settings.ROOT_URLCONF)
        found, patterns = _tree(URLResolver(RegexPattern(r"^/"), root))
    finally:
        _site.reset(token)
        for name in names:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
    _url_modules.update(found)
    return None if patterns == default else root


def _urlconf_for(site):
    with _lock:
        if site not in _urlconfs:
            try:
                _urlconfs[site] = (_build_urlconf(site), None)
            except Exception as error:
                _urlconfs[site] = (None, error)
        urlconf, error = _urlconfs[site]
    if error is not None:
        raise error
    return urlconf


def _answer(document):
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers
    response = HttpResponse(json.dumps(document), content_type="application/json")
    add_never_cache_headers(response)
    return response


def _check_view(request):
    site = _site.get()
    return _answer({"ready": True}) if site is None else _check(request, site)


def _check_urlconf():
    if not _check_urls:
        from django.urls import path
        module = types.ModuleType("multisite_local_check")
        module.urlpatterns = [path(_CHECK_PATH.lstrip("/"), _check_view)]
        _check_urls.append(module)
    return _check_urls[0]


def _check(request, site):
    from django.apps import apps
    from django.conf import settings
    from django.urls import get_resolver
    answer = {"siteId": None, "currentSite": None, "ownUrls": None, "captures": [], "error": None}
    try:
        answer["siteId"] = settings.SITE_ID
        if apps.is_installed("django.contrib.sites"):
            from django.contrib.sites.models import Site
            # A site with no row fails alike whatever serves it: no reason to refuse one server for all.
            try:
                answer["currentSite"] = Site.objects.get_current().pk
            except Site.DoesNotExist:
                pass
        urlconf = _urlconf_for(site)
        answer["ownUrls"] = urlconf is not None
        answer["urls"] = len(_tree(get_resolver(urlconf))[1])
    except Exception as error:
        answer["error"] = "%s: %s" % (type(error).__name__, error)
    answer["captures"] = [
        {"file": file, "line": line, "module": module} for (file, line), module in _captures.items() if module not in _url_modules
    ]
    return _answer(answer)


def _enter(request):
    site = _marked_site(request.META)
    _site.set(site)
    if request.path_info == _CHECK_PATH and _secret_ok(request.META.get(_CHECK_META) or ""):
        # Answered at the end of the project's middleware, as a view: a server whose requests hang is not ready.
        request.urlconf = _check_urlconf()
    elif site is not None:
        urlconf = _urlconf_for(site)
        if urlconf is not None:
            request.urlconf = urlconf


def _install_handler():
    from django.core.handlers.base import BaseHandler
    get_response = BaseHandler.get_response

    def per_site_response(self, request):
        _enter(request)
        return get_response(self, request)

    BaseHandler.get_response = per_site_response
    get_response_async = getattr(BaseHandler, "get_response_async", None)
    if get_response_async is None:
        return

    async def per_site_response_async(self, request):
        from asgiref.sync import sync_to_async
        site = _marked_site(request.META)
        _site.set(site)
        # Building a site's URLs imports modules and may query the database: never on the event loop.
        await sync_to_async(_enter, thread_sensitive=True)(request)
        _site.set(site)
        return await get_response_async(self, request)

    BaseHandler.get_response_async = per_site_response_async
    _install_consumers()


def _install_consumers():
    # Channels serves a WebSocket by a consumer, outside Django's request handling: the site is set there too.
    try:
        from channels.consumer import AsyncConsumer
    except ImportError:
        return
    consumer_call = AsyncConsumer.__call__

    async def per_site_consumer(self, scope, receive, send):
        marked = dict(scope.get("headers") or ()).get(b"${SITE_HEADER}", b"")
        _site.set(_marked_site({_SITE_META: marked.decode("latin-1")}))
        return await consumer_call(self, scope, receive, send)

    AsyncConsumer.__call__ = per_site_consumer


def _main():
    sys.argv = sys.argv[1:]
    script = os.path.abspath(sys.argv[0])
    sys.path[0] = os.path.dirname(script)
    try:
        import django
    except ImportError:
        django = None  # manage.py says so in its own words
    if django is not None:
        setup = django.setup

        def per_request_setup(*args, **kwargs):
            _install()
            return setup(*args, **kwargs)

        django.setup = per_request_setup
    runpy.run_path(script, run_name="__main__")


_main()
`;
