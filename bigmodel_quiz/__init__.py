"""bigmodel-quiz: interview practice for large-model engineering, in the terminal."""

__version__ = "0.1.0"
