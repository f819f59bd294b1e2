"""Queries a Simple Cone Search service the way astronomers do, with pyvo; exits non-zero on any problem.

Usage: python3 pyvo_scs_check.py URL RA DEC SR EXPECTED_ROWS
"""
import sys
import warnings

import pyvo

warnings.simplefilter("ignore")
url, ra, dec, sr, expected = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
service = pyvo.dal.SCSService(url)
result = service.search(pos=(ra, dec), radius=sr, verbosity=3)
table = result.to_table()
assert len(table) == expected, f"expected {expected} rows, got {len(table)}"
ucds = {f.ucd: f.name for f in result.fielddescs}
assert ucds.get("pos.eq.ra;meta.main") == "ra" and ucds.get("pos.eq.dec;meta.main") == "dec", ucds
assert ucds.get("meta.id;meta.main") == "id", ucds
assert abs(table["ra"][0] - ra) < sr and abs(table["dec"][0] - dec) < sr, (table["ra"][0], table["dec"][0])
try:
    service.search(pos=(ra, dec), radius=20)
    raise SystemExit("an out-of-range SR was accepted")
except pyvo.dal.DALQueryError as e:
    assert "SR must be in" in str(e), str(e)
print(f"pyvo: {len(table)} rows, columns {', '.join(table.colnames)}")
