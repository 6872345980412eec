"""Region pages and API (see sinergi.core.plugins)."""

from sinergi.core import plugins

plugins.url_include("regions/", "sinergi.regions.urls")
plugins.url_include("regions/", "sinergi.regions.api_urls", api=True)
