"""xlcollab: the cross-department project procedure, carried into Excel."""

__version__ = "0.1.0"
