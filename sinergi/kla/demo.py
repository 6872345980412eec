def seed_kla(run):
    return []
