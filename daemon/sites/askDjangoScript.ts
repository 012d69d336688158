/**
 * The Python that asks Django what the product needs (issue 22), run once per
 * read through `manage.py shell -c`, so the settings are imported as
 * manage.py imports them (its sys.path, its DJANGO_SETTINGS_MODULE, its env
 * loading) and `django.setup()` has run. It prints one JSON document after a
 * marker line (the project's own code may print too):
 * - `settings`: SITE_ID (absent, an int, or an object such as django-multisite's
 *   SiteID, with its type and default), ALLOWED_HOSTS as written and as Django
 *   applies it, DEBUG, MIDDLEWARE, INSTALLED_APPS, CSRF_TRUSTED_ORIGINS,
 *   USE_X_FORWARDED_HOST/PORT, SESSION_COOKIE_DOMAIN, the default database;
 * - `frameworks`: the multi-site frameworks installed (by app), with versions;
 * - `sites`: every site row of each: django.contrib.sites with
 *   django-multisite's aliases, django-multisite-plus's table, Wagtail's Sites,
 *   the tenants' domains; each framework read on its own, so one that fails
 *   (a table not migrated, a database that cannot be reached) is a problem
 *   with its exception, and the others are still read;
 * - `checks`: Django's system checks (`manage.py check`'s messages, silenced ones left out).
 * Nothing is written; no user string reaches a shell (the script is one argv).
 */

/** The line before the JSON document. */
export const ASK_DJANGO_MARKER = '@@multisite-local:django@@';

/** Rows read per table at most: more than any project has, less than would flood the daemon. */
export const ASK_DJANGO_MAX_ROWS = 10_000;

export const ASK_DJANGO_SCRIPT = String.raw`
import json, os, re, sys, traceback

def _msl_main():
    import django
    from django.apps import apps
    from django.conf import settings
    limit = ${ASK_DJANGO_MAX_ROWS}
    root = os.path.realpath(os.getcwd())
    problems = []

    def where(error):
        """The project's own frame nearest the exception, else the last frame."""
        frames = traceback.extract_tb(error.__traceback__)
        own = [f for f in frames if os.path.realpath(f.filename).startswith(root + os.sep)]
        frame = (own or frames or [None])[-1]
        return {"file": frame.filename, "line": frame.lineno} if frame else {"file": None, "line": None}

    def problem(what, error):
        # Every line of it: a driver's message spans lines (psycopg2: the cause, then "Is the server running...?").
        text = [line.strip() for line in "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()]
        message = " ".join(line for line in text if line)
        problems.append(dict(what=what, type=type(error).__name__, message=message or type(error).__name__, **where(error)))

    def plain(value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (list, tuple, set, frozenset)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return str(value)

    listings = {}

    def listing(folder):
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder or ".")
            except OSError:  # a zip file, a folder gone
                listings[folder] = []
        return listings[folder]

    def header_version(path):
        """The Version header of a METADATA or PKG-INFO file (headers end at the first blank line)."""
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key.strip().lower() == "version":
                        return value.strip() or None
        except OSError:
            pass
        return None

    def normalized(name):
        return re.sub(r"[-_.]+", "_", name).lower()

    def version(*names):
        # What importlib.metadata.version says (the first distribution of the name along sys.path, by its
        # .dist-info or .egg-info), read directly: importing importlib.metadata and the email parser it reads
        # with took longer than the rest of the read. It remains for what is not in a folder (a zipped egg).
        for name in names:
            wanted = normalized(name)
            for folder in (p for p in sys.path if isinstance(p, str)):
                for child in listing(folder):
                    low = child.lower()
                    if not low.endswith((".dist-info", ".egg-info")) or normalized(low.rpartition(".")[0].partition("-")[0]) != wanted:
                        continue
                    path = os.path.join(folder or ".", child)
                    if low.endswith(".dist-info"):
                        path = os.path.join(path, "METADATA")
                    elif os.path.isdir(path):
                        path = os.path.join(path, "PKG-INFO")
                    found = header_version(path)
                    if found:
                        return found
        try:
            from importlib import metadata
        except Exception:
            return None
        for name in names:
            try:
                return metadata.version(name)
            except Exception:
                pass
        return None

    def site_id():
        if not hasattr(settings, "SITE_ID"):
            return {"kind": "absent"}
        value = settings.SITE_ID
        if type(value) is int:
            return {"kind": "int", "value": value}
        described = {"kind": "object", "type": type(value).__module__ + "." + type(value).__qualname__}
        try:
            described["value"] = int(value)
        except Exception:
            described["value"] = None
        default = getattr(value, "default", None)
        described["default"] = default if isinstance(default, int) else None
        return described

    def database():
        db = settings.DATABASES.get("default", {})
        engine, name = str(db.get("ENGINE") or ""), str(db.get("NAME") or "")
        if engine.endswith(("sqlite3", "spatialite")) and name and name != ":memory:":
            name = os.path.realpath(name)
        return {"engine": engine, "name": name, "host": str(db.get("HOST") or ""), "port": str(db.get("PORT") or "")}

    allowed = list(getattr(settings, "ALLOWED_HOSTS", []))
    out = {
        "django": django.get_version(),
        "settingsModule": os.environ.get("DJANGO_SETTINGS_MODULE"),
        "settings": {
            "SITE_ID": site_id(),
            "ALLOWED_HOSTS": plain(allowed),
            # As django.http.request.HttpRequest.get_host applies it.
            "effectiveAllowedHosts": plain(allowed if allowed or not settings.DEBUG else [".localhost", "127.0.0.1", "[::1]"]),
            "DEBUG": bool(settings.DEBUG),
            "MIDDLEWARE": plain(getattr(settings, "MIDDLEWARE", None) or []),
            "INSTALLED_APPS": plain(settings.INSTALLED_APPS),
            "CSRF_TRUSTED_ORIGINS": plain(getattr(settings, "CSRF_TRUSTED_ORIGINS", [])),
            "USE_X_FORWARDED_HOST": bool(getattr(settings, "USE_X_FORWARDED_HOST", False)),
            "USE_X_FORWARDED_PORT": bool(getattr(settings, "USE_X_FORWARDED_PORT", False)),
            "SESSION_COOKIE_DOMAIN": plain(getattr(settings, "SESSION_COOKIE_DOMAIN", None)),
            "DJANGO_MULTISITE_PLUS_MODE": plain(getattr(settings, "DJANGO_MULTISITE_PLUS_MODE", None)),
            "database": database(),
        },
        "frameworks": [],
        "sites": {},
        "problems": problems,
        "checks": [],
    }
    frameworks = out["frameworks"]
    sites = out["sites"]

    def framework(name, app, *dists):
        if app and not apps.is_installed(app):
            return False
        frameworks.append({"name": name, "version": version(*dists) if dists else None})
        return True

    def rows(query, fields):
        return [{k: plain(v) for k, v in row.items()} for row in query.values(*fields)[:limit]]

    if framework("django.contrib.sites", "django.contrib.sites"):
        try:
            Site = apps.get_model("sites", "Site")
            sites["contrib"] = rows(Site.objects.order_by("id"), ["id", "domain", "name"])
        except Exception as error:
            problem("the Sites table (django.contrib.sites)", error)
    if framework("django-multisite", "multisite", "django-multisite"):
        try:
            Alias = apps.get_model("multisite", "Alias")
            sites["aliases"] = rows(Alias.objects.order_by("site_id", "id"), ["site_id", "domain", "is_canonical"])
        except Exception as error:
            problem("django-multisite's aliases", error)
    if framework("django-multisite-plus", "django_multisite_plus", "django-multisite-plus"):
        try:
            models = list(apps.get_app_config("django_multisite_plus").get_models())
            model = next((m for m in models if m.__name__ == "Site"), models[0] if models else None)
            if model is not None:
                sites["multisitePlus"] = rows(model.objects.all(), [])
        except Exception as error:
            problem("django-multisite-plus's sites", error)
    wagtail_app = "wagtail" if apps.is_installed("wagtail") else "wagtail.core"
    if framework("wagtail", wagtail_app, "wagtail"):
        try:
            WagtailSite = apps.get_model("wagtailcore", "Site")
            sites["wagtail"] = rows(
                WagtailSite.objects.order_by("id"),
                ["id", "hostname", "port", "site_name", "is_default_site", "root_page__title"],
            )
        except Exception as error:
            problem("Wagtail's sites", error)
    domain_model = getattr(settings, "TENANT_DOMAIN_MODEL", None)
    if domain_model and framework("django-tenants", None, "django-tenants", "django-tenant-schemas"):
        try:
            Domain = apps.get_model(domain_model)
            Tenant = apps.get_model(settings.TENANT_MODEL)
            tenant_fields = ["id", "schema_name"] + [f for f in ("name",) if any(x.name == f for x in Tenant._meta.fields)]
            sites["tenants"] = rows(Tenant.objects.order_by("id"), tenant_fields)
            sites["tenantDomains"] = rows(Domain.objects.order_by("tenant_id", "-is_primary", "id"), ["tenant_id", "domain", "is_primary"])
        except Exception as error:
            problem("the tenants and their domains", error)
    try:
        from django.core import checks
        for message in checks.run_checks():
            if message.is_silenced():  # SILENCED_SYSTEM_CHECKS, as manage.py check leaves them out
                continue
            out["checks"].append({
                "id": message.id,
                "level": message.level,
                "message": str(message.msg),
                "hint": plain(message.hint),
                # As manage.py check names it: a model by its label (app.Model), anything else as it prints.
                "object": None if message.obj is None else getattr(getattr(message.obj, "_meta", None), "label", None) or str(message.obj),
            })
    except Exception as error:
        problem("Django's system checks", error)
    sys.stdout.write("\n${ASK_DJANGO_MARKER}\n" + json.dumps(out) + "\n")
    sys.stdout.flush()

_msl_main()
`;
