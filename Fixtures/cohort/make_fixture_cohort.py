"""Writes the tiny test cohort: six subjects (two per diagnosis), phantom volumes on the MNI 2 mm grid.

The phantoms are ellipsoids (not derived from any template), stored as uint8 so each file is a few KB.
Run: .venv-ref/bin/python Fixtures/cohort/make_fixture_cohort.py   (needs numpy and nibabel)
"""
import csv
import os

import nibabel as nib
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "images"), exist_ok=True)
affine = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], dtype=float)
shape = (91, 109, 91)
i, j, k = np.meshgrid(np.arange(91), np.arange(109), np.arange(91), indexing="ij")
x, y, z = -2 * i + 90, 2 * j - 126, 2 * k - 72  # world mm


def ellipsoid(rx, ry, rz, cx=0, cy=-18, cz=18):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + ((z - cz) / rz) ** 2 <= 1


def t1(ventricle_scale, seed):
    brain = ellipsoid(68, 85, 60)
    white = ellipsoid(50, 66, 42)
    ventricles = ellipsoid(12 * ventricle_scale, 22 * ventricle_scale, 10 * ventricle_scale, cz=20)
    v = np.where(brain, 150, 0) + np.where(white, 60, 0)
    v = np.where(ventricles, 40, v) + np.where(brain & ((i + j + k + seed) % 7 == 0), 3, 0)  # faint texture, compressible
    return v.astype(np.uint8)


def fa(loss):
    white = ellipsoid(50, 66, 42)
    brain = ellipsoid(68, 85, 60)
    v = np.where(white, 0.5 * (1 - loss), np.where(brain, 0.12, 0.0))
    return np.round(v * 250).astype(np.uint8)


rows = [
    # PTID, DX, AGE, SEX, EDU, MMSE, CDRSB, ADAS11, ADAS13, MOCA, APOE, ventricle scale, FA loss or None
    ("941_S_0001", "CN", 72.5, "F", 16, 30, 0, 5.33, 8.67, 27, "3/3", 1.0, 0.0),
    ("941_S_0002", "CN", 78.1, "M", 18, 29, 0.5, 7, 11, 26, "2/3", 1.05, None),
    ("941_S_0003", "MCI", 74.0, "M", 14, 27, 1.5, 11.33, 18, "", "3/4", 1.2, 0.03),
    ("941_S_0004", "MCI", 81.3, "F", 12, 26, 2, 13, 21.67, 22, "3/4", 1.25, None),
    ("941_S_0005", "Dementia", 79.9, "F", 15, 21, 5.5, 19.67, 30, 17, "4/4", 1.45, 0.06),
    ("941_S_0006", "Dementia", 84.2, "M", 16, "", 7, "", "", "", "", 1.5, None),
]
with open(os.path.join(here, "cohort.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["PTID", "DX", "AGE", "PTGENDER", "PTEDUCAT", "MMSE", "CDRSB", "ADAS11", "ADAS13", "MOCA",
                "APOE_GENOTYPE", "T1_PATH", "FA_PATH"])
    for n, (pid, dx, age, sex, edu, mmse, cdrsb, a11, a13, moca, apoe, vs, loss) in enumerate(rows):
        t1_path = f"images/{pid}_t1.nii.gz"
        nib.save(nib.Nifti1Image(t1(vs, n), affine), os.path.join(here, t1_path))
        fa_path = ""
        if loss is not None:
            fa_path = f"images/{pid}_fa.nii.gz"
            img = nib.Nifti1Image(fa(loss), affine)
            img.header.set_slope_inter(1 / 250, 0)
            nib.save(img, os.path.join(here, fa_path))
        w.writerow([pid, dx, age, sex, edu, mmse, cdrsb, a11, a13, moca, apoe, t1_path, fa_path])
print("wrote", len(rows), "subjects")
