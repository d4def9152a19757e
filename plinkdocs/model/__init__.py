"""Layer 1, model: the design as frozen dataclasses (`architecture`), built once from data
the schema accepted, and the cross-reference check that must pass before it is built (`refs`)."""
