import logging


class SingleLineFormatter(logging.Formatter):
    """Escapes line breaks so user-supplied text can never forge a log line."""

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
