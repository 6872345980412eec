"""Publications permissions (PPRA checker, drafts, media partners)."""
