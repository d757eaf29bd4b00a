"""Sotong (소통): one chatbot core with pluggable platform adapters for a county office.

Kept import-light on purpose: `python -m bot triage` must start in well under three seconds.
"""

__version__ = "0.1.0"
