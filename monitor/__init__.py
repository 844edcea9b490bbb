"""regwatch: monitor of financial regulators' enforcement and disciplinary notices."""

__version__ = "0.1.0"
