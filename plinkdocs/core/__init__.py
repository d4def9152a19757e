"""Layer 0, core: what every other layer stands on and which knows nothing of designs.

Findings and their positions, YAML loading with positions, JSON Schema checking and the one
translator of its errors, paths, atomic writes, wording. Imports only the standard library,
third-party libraries and other `core` modules."""
