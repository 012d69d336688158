"""Settings of a small multi-site project shaped like a Divio one.

Locally the site is picked in one of two ways:
* SITE_ID in the environment forces one site (what the extension sets), or
* without SITE_ID, django.contrib.sites picks the site by the request's Host.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "demo-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["*"]  # demo: every local domain of every site is served

# slug -> site, as django-multisite-plus declares them.
DJANGO_MULTISITE_PLUS_SITES = {
    "alpha": {
        "id": 1,
        "real_domain": "alpha-news.example",
        "name": "Alpha News",
        "aliases": ["www.alpha-news.example"],
    },
    "beta": {
        "id": 2,
        "real_domain": "beta-shop.example",
        "name": "Beta Shop",
        "aliases": [],
    },
    "gamma": {
        "id": 3,
        "real_domain": "gamma-blog.example",
        "name": "Gamma Blog",
        "aliases": ["blog.gamma-blog.example"],
    },
}
DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT = "{}.demo.divio.me"

if os.environ.get("SITE_ID"):
    SITE_ID = int(os.environ["SITE_ID"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # as every startproject: X-Frame-Options DENY
    "demo.middleware.CurrentSiteMiddleware",
]

ROOT_URLCONF = "demo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
USE_TZ = True
