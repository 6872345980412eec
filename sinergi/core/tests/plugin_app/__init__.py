"""A module that plugs into Sinergi by adding files only (installed by config/settings/test.py only).

It stands for the next modules (taskforces, kla, maps, publications): a model with documents, a nav
entry, a dashboard card, demo data, an audit event and a public page, each through the contract in
sinergi/core/plugins.py and documents/policy.py. Its tests are sinergi/core/tests/test_plugin_app.py.
Its strings are not translated on purpose: it is not shipped, so its text stays out of locale/.
"""
