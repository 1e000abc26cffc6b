"""Bringing other people's lists into the master: a department's own tracker."""
