"""The demo data set: a believable mid-size production rental house, loaded by ``manage.py seed_demo``.

``gear`` and ``people`` hold the data tables, ``build`` turns them into rows (deterministic for a seed and a
day), ``load`` writes them idempotently.
"""
