"""Fictional demo data (see apps.DemoConfig)."""
