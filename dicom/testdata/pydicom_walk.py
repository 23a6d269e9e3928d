"""Print, for each DICOM file named on the command line, one JSON line with
the elements pydicom reads from it (dcmread(force=True)), in file order:
the file meta group, then the dataset, depth-first into sequences.

Each element is [depth, tag, vr, length, n, sha1]: vr is null where
pydicom has no VR from the file (implicit VR), length is the declared
length (-1 for undefined), n and sha1 are the size and SHA-1 of the value
bytes pydicom holds (null for sequences). Each sequence item is
[depth, "item"]. A file pydicom cannot read gives {"error": "..."}.
Used by pydicom_test.go; needs pydicom (apt-get install python3-pydicom).
"""
import hashlib
import json
import logging
import sys
import warnings

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.datadict import dictionary_VR

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

UNDEFINED = 0xFFFFFFFF


def length(n):
    return -1 if n == UNDEFINED else n


def value(v):
    v = bytes(v or b"")
    return [len(v), hashlib.sha1(v).hexdigest()]


def is_sequence(ds, tag, raw):
    if raw.VR == "SQ":
        return True
    if raw.VR is None or raw.VR == "UN":
        try:
            if dictionary_VR(tag) == "SQ":
                return True
        except KeyError:
            pass
        try:
            return ds[tag].VR == "SQ"
        except Exception:
            return False
    return False


def walk(ds, depth, out):
    for tag in list(ds._dict.keys()):
        raw = ds.get_item(tag)
        t = "%08X" % tag
        if isinstance(raw, RawDataElement):
            vr = None if raw.VR is None else str(raw.VR)
            if is_sequence(ds, tag, raw):
                out.append([depth, t, "SQ", length(raw.length), None, None])
                items = ds[tag].value
            else:
                out.append([depth, t, vr, length(raw.length)] + value(raw.value))
                continue
        else:  # read already: sequences of undefined length
            if raw.VR != "SQ":
                out.append([depth, t, str(raw.VR), None, None, None])
                continue
            out.append([depth, t, "SQ", -1, None, None])
            items = raw.value
        for item in items:
            out.append([depth + 1, "item"])
            walk(item, depth + 1, out)


def main():
    for path in sys.argv[1:]:
        res = {}
        try:
            ds = pydicom.dcmread(path, force=True)
            out = []
            if getattr(ds, "file_meta", None) is not None:
                walk(ds.file_meta, 0, out)
            walk(ds, 0, out)
            res["elems"] = out
        except Exception as e:  # noqa: BLE001 - any failure is a result
            kind = type(e).__name__
            if type(e).__module__ not in ("builtins", None):
                kind = type(e).__module__ + "." + kind
            res["error"] = "%s: %s" % (kind, e)
        print(json.dumps(res))


main()
