"""Excel itself: user-defined functions, the ribbon add-in and its dispatch.

- :mod:`xlcollab.excel.udfs`: ``XC_*`` worksheet functions (xlwings UDFs);
- :mod:`xlcollab.excel.buttons` and :mod:`xlcollab.excel.addin`: the ribbon
  table and the ``.xlam`` builder;
- :mod:`xlcollab.excel.ribbon`: ``dispatch(tag)``, what a button runs;
- :mod:`xlcollab.excel.adapter`: the workbook adapters (xlwings, openpyxl).

xlwings is imported only through :mod:`xlcollab.excel.xlwings_shim`.
"""
