"""Paper-specific parsers; each module exposes ``PARSER`` (a ``paper.PaperParser``)."""
