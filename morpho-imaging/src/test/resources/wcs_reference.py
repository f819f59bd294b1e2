"""Independent reference for morpho's WCS: astropy (wcslib) pixel -> sky, including SIP and TPV.

Usage: python3 wcs_reference.py FILE HDU_INDEX < pixels   (one "x y" per line, 0-based)
Prints "ra dec" (degrees) per input line.
"""
import sys
import warnings

from astropy.io import fits
from astropy.wcs import WCS

warnings.simplefilter("ignore")
path, hdu = sys.argv[1], int(sys.argv[2])
with fits.open(path) as hdus:
    wcs = WCS(hdus[hdu].header, hdus)
for line in sys.stdin:
    x, y = (float(v) for v in line.split())
    ra, dec = wcs.all_pix2world([[x, y]], 0)[0]
    print(f"{ra:.12f} {dec:.12f}")
