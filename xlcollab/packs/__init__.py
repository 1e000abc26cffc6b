"""Department packs: split the master into one workbook per department and
merge what comes back.

- :mod:`~xlcollab.packs.fingerprint`: a row's identity and fingerprint;
- :mod:`~xlcollab.packs.split`: which rows a department's pack holds (pure);
- :mod:`~xlcollab.packs.build`: the pack workbook (the master's builder, then
  locks, the hidden identity and the 说明 sheet);
- :mod:`~xlcollab.packs.read`: a returned pack back into frames;
- :mod:`~xlcollab.packs.merge`: what a pack changes: accepted changes, new
  rows and conflicts (pure);
- :mod:`~xlcollab.packs.apply`: the merge as safe-writer edits and 变更记录 rows.
"""
