"""One module per top-level command, each with the command's name and a ``register(app)``."""
