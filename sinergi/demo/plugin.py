"""The demo's seeders, run by `manage.py demo_seed` (see sinergi.core.plugins.demo_seeder)."""

from sinergi.core import plugins

from . import seed

plugins.demo_seeder("demo.people", seed.seed_people, order=10)
plugins.demo_seeder("demo.cases", seed.seed_case_history, order=50)
plugins.demo_seeder("demo.emails", seed.seed_emails, order=900)
