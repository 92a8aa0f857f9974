"""kg: a knowledge graph of diplomatic events extracted from news articles."""

__version__ = "0.1.0"
