from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("visit/", views.visit, name="visit"),
    path("go-home/", views.go_home, name="go-home"),
    path("stream/", views.stream, name="stream"),
    path("upload/", views.upload, name="upload"),
    path("remember/", views.remember, name="remember"),
    path("request-headers/", views.request_headers, name="request-headers"),
    path("admin/", admin.site.urls),
]
