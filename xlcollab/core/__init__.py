"""The project's arithmetic: working-day calendar, flags, escalation, the
task network (CPM, cycles) and the figures every output shows.

Pure functions of ProjectData, plain values and an explicit date.
"""
