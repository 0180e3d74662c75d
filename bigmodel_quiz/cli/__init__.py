"""The command-line layer: parses options, calls one core function, renders the result."""
