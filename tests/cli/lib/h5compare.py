"""Compares the content of two HDF5 files: every group, dataset (values, dtype, shape) and
attribute, except the attributes that describe one invocation (when, how long, how run)."""
import h5py
import numpy as np

# The checksum covers them, so it differs too.
INVOCATION_ATTRIBUTES = {"created", "seconds", "command_line", "threads", "processes", "checksum"}


def _same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.names:
            return all(_same_value(a[n], b[n]) for n in a.dtype.names)
        if a.dtype.kind == "f":
            return np.array_equal(a, b, equal_nan=True)
        return np.array_equal(a, b)
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return a == b


def differences(path_a, path_b, ignore=INVOCATION_ATTRIBUTES):
    """A list of what differs between the two files ([] when their content is the same)."""
    found = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        def compare(x, y, where):
            attrs_x = {k for k in x.attrs if k not in ignore}
            attrs_y = {k for k in y.attrs if k not in ignore}
            if attrs_x != attrs_y:
                found.append(f"{where}: attributes {sorted(attrs_x ^ attrs_y)} in one file only")
            for k in attrs_x & attrs_y:
                if not _same_value(x.attrs[k], y.attrs[k]):
                    found.append(f"{where}: attribute {k} differs")
            if isinstance(x, h5py.Dataset):
                if not isinstance(y, h5py.Dataset) or not _same_value(x[()], y[()]):
                    found.append(f"{where}: dataset differs")
                return
            if set(x.keys()) != set(y.keys()):
                found.append(f"{where}: members {sorted(set(x.keys()) ^ set(y.keys()))} in one file only")
            for k in set(x.keys()) & set(y.keys()):
                compare(x[k], y[k], f"{where.rstrip('/')}/{k}")
        compare(a, b, "/")
    return found
