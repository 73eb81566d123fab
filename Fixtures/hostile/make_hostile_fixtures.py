"""Writes the small hostile inputs under Fixtures/hostile/ (regression tests for issue #15's audit).

Each file once crashed or misled Memoir; the tests in Tests/*/...HostileInput* read them. Run from
anywhere: python3 Fixtures/hostile/make_hostile_fixtures.py (standard library only).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def nifti(dims, vox_offset=352.0, datatype=16, bitpix=32, srow=None, pixdim=(1, 2, 2, 2), voxels=None):
    """A little-endian NIfTI-1 single file: 348-byte header, 4-byte extension block, float32 data."""
    h = bytearray(348)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<8h", h, 40, len(dims), *(list(dims) + [1] * (7 - len(dims))))
    struct.pack_into("<hh", h, 70, datatype, bitpix)
    struct.pack_into("<8f", h, 76, *(list(pixdim) + [1] * (8 - len(pixdim))))
    struct.pack_into("<f", h, 108, vox_offset)
    struct.pack_into("<ff", h, 112, 1.0, 0.0)
    if srow is not None:
        struct.pack_into("<hh", h, 252, 0, 2)
        struct.pack_into("<12f", h, 280, *srow)
    h[344:348] = b"n+1\0"
    count = 1
    for d in dims:
        count *= d
    data = b"" if voxels is None else struct.pack("<%df" % count, *voxels)
    return bytes(h) + b"\0\0\0\0" + data


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


ramp = [float(1 + (i * 37) % 101) for i in range(64)]
# vox_offset 1e19: finite and ≥ 348, but Int(1e19) trapped (exit 132).
write("vox-offset-1e19.nii", nifti((4, 4, 4), vox_offset=1e19, voxels=ramp))
# Every sform column is 2 mm long, but the y and z columns are equal: singular (precondition in conform).
write("singular-sform.nii", nifti((4, 4, 4), srow=(2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0), voxels=ramp))
# Seven dimensions of 32767: the voxel count overflows Int.
write("dims-overflow.nii", nifti((32767,) * 7))
# Not NIfTI: its first four bytes were echoed as sizeof_hdr (a content leak).
write("not-nifti-secret.nii", (b"SECRET-API-KEY=hunter2;" * 20)[:400])
