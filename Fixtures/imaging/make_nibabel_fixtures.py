"""Writes small NIfTI-1 files with nibabel and the values nibabel reads back, for Swift's reader tests.

Run: .venv-ref/bin/python Fixtures/imaging/make_nibabel_fixtures.py   (needs numpy and nibabel)
"""
import json
import os

import nibabel as nib
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def rotation(ax, ay, az):
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(rot, zooms, origin):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = origin
    return a


expected = {}

# 1. int16 with scl_slope/scl_inter, qform only (sform unset), uncompressed.
data = (np.arange(7 * 6 * 5).reshape(7, 6, 5) * 37 % 2001 - 1000).astype(np.int16)
img = nib.Nifti1Image(data, affine(rotation(0.1, -0.2, 0.3), (1.5, 2.0, 2.5), (-40.0, 12.5, 7.0)))
img.header.set_qform(img.affine, code=1)
img.header.set_sform(None, code=0)
img.header.set_slope_inter(0.5, 10.0)
nib.save(img, os.path.join(here, "nib_int16_qform.nii"))

# 2. float32, sform (with a flipped x axis, as radiological MNI grids), gzip-compressed.
data = np.linspace(-3.5, 7.25, 9 * 8 * 7, dtype=np.float32).reshape(9, 8, 7)
aff = affine(rotation(0.0, 0.05, -0.1), (-2.0, 2.0, 2.0), (90.0, -126.0, -72.0))
img = nib.Nifti1Image(data, aff)
img.header.set_sform(aff, code=4)
img.header.set_qform(aff, code=4)
nib.save(img, os.path.join(here, "nib_float32_sform.nii.gz"))

# 3. big-endian uint8 with pixdim-only geometry (no qform, no sform).
data = (np.arange(5 * 4 * 3).reshape(5, 4, 3) * 11 % 256).astype(">u1")
header = nib.Nifti1Header(endianness=">")
header.set_data_dtype(np.uint8)
header.set_data_shape(data.shape)
header.set_zooms((3.0, 3.0, 4.0))
img = nib.Nifti1Image(data, None, header=header)
img.header.set_qform(None, code=0)
img.header.set_sform(None, code=0)
nib.save(img, os.path.join(here, "nib_uint8_bigendian.nii"))

for name in ["nib_int16_qform.nii", "nib_float32_sform.nii.gz", "nib_uint8_bigendian.nii"]:
    img = nib.load(os.path.join(here, name))
    values = np.asarray(img.get_fdata(dtype=np.float64))
    # NIfTI stores i fastest: flatten in Fortran order to match the Swift layout.
    expected[name] = {
        "shape": list(values.shape),
        "affine": img.affine[:3, :].reshape(-1).tolist(),
        "datatype": str(img.get_data_dtype()),
        "voxels": values.reshape(-1, order="F").tolist(),
    }

with open(os.path.join(here, "nibabel_expected.json"), "w") as f:
    json.dump({"nibabel": nib.__version__, "numpy": np.__version__, "files": expected}, f, indent=1)
print("wrote", ", ".join(expected))
