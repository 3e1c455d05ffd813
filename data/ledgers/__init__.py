"""The office's ledgers: people under community supervision with their responsible persons and visit
schedules (`people.py`), mediation records and dispute sweeps (`mediation.py`), petitions with their
5+1 and zero-reports (`petitions.py`), and their Excel imports (`imports.py`). The rules (schedules,
masking, ID numbers) have one home: `rules.py`. Every service takes the acting Principal, reads of
personal data are audited, and roles without `ledgers.read_personal` get masked rows.
"""
