"""Open-data exports of the published portfolio: IATI 2.03 activity XML and OC4IDS 0.9.5 JSON.

- codes.py: how our choices map onto the standards' code lists (data, one module);
  dac_sectors.json and oc4ids_sectors.json: our sector slugs → the standards' sector codes.
- iati.py and oc4ids.py: one builder function per part of a record, in the order the standard
  wants, so that a new part (budgets, transactions, results) is one function added to a list.
- schemas/: the official schemas, used by the tests to validate what the API serves.
"""
