import pytest

from accounts.spreadsheet import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+1", "'+1+1"),
        ("-1+cmd", "'-1+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),  # plain numbers, e.g. a negative change, stay numbers
        ("Alice", "Alice"),
        ("", ""),
        (None, None),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_formulas_get_an_apostrophe_numbers_and_text_stay(value, expected):
    assert safe_cell(value) == expected
