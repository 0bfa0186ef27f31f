"""Stage 1, inputs: reading what users bring (ward registers and boundaries, indicator files,
locality schemes, the exercise file) and checking it at the boundary. Imports nothing from the
later stages."""
