"""missing_array gives what pd.array([pd.NA] * n, dtype) gives."""

from __future__ import annotations

import pandas as pd
import pytest

from xlcollab.model.data import missing_array


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "boolean"])
@pytest.mark.parametrize("n", [0, 1, 7])
def test_missing_array_is_all_na(dtype: str, n: int):
    got = pd.Series(missing_array(n, dtype))
    want = pd.Series(pd.array([pd.NA] * n, dtype=dtype))
    assert got.dtype == want.dtype
    assert got.equals(want)
    assert got.isna().all()
    got[:1] = {"Int64": 1, "Float64": 0.5, "boolean": True}[dtype]  # writable
    assert got.notna().sum() == min(n, 1)
