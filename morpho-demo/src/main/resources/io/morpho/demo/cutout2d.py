"""The astropy path for morpho's ingest benchmark: the same positions and stamp sides cut with Cutout2D (partial
overlap, NaN fill) and resized to the model input with scipy's bilinear zoom, single-threaded. Prints JSON."""
import json
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.nddata import Cutout2D
from scipy.ndimage import zoom

frame_file, positions_file, size, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
positions = np.loadtxt(positions_file, delimiter=",", skiprows=1, ndmin=2)
best = None
for _ in range(repeats):
    t0 = time.perf_counter()
    data = fits.getdata(frame_file).astype(np.float32)
    t1 = time.perf_counter()
    for x, y, side in positions:
        side = int(side)
        cut = Cutout2D(data, (x, y), (side, side), mode="partial", fill_value=np.nan, copy=True)
        stamp = np.nan_to_num(cut.data, nan=0.0)
        lo, hi = stamp.min(), stamp.max()
        stamp = (stamp - lo) / (hi - lo) if hi > lo else np.zeros_like(stamp)
        zoom(stamp, size / side, order=1)
    t2 = time.perf_counter()
    run = {"read_s": t1 - t0, "cut_s": t2 - t1}
    if best is None or run["read_s"] + run["cut_s"] < best["read_s"] + best["cut_s"]:
        best = run
best["stamps"] = len(positions)
print(json.dumps(best))
