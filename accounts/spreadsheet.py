"""Cells that are safe to open in a spreadsheet, for every CSV the project writes (audit log, access
review, exports, analytics): text a spreadsheet would read as a formula gets a leading apostrophe."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """Numbers, and text that is just a number (a negative change, say), stay as they are."""
    if not isinstance(value, str) or not value or value[0] not in FORMULA_STARTS:
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


class Echo:
    """A csv.writer target that hands back what it was given: rows become strings to stream."""

    def write(self, value):
        return value
