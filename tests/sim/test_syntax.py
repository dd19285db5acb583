"""The parser adapter: positions as path:line:col, string literal bytes, line grouping for /import."""

from __future__ import annotations

import pytest
from routeros_lsp.syntax import ast

from generator.rsc.syntax import (
    LineIndex,
    SyntaxFailure,
    literal_bytes,
    parse,
    parse_strict,
    statement_lines,
    string_pieces,
)


def first_string(source: bytes) -> ast.StringLit:
    statement = parse(source).script.statements[0]
    found = [e for e in statement.elements if isinstance(e, ast.StringLit)]
    return found[0]


def test_syntax_error_reports_path_line_and_column() -> None:
    with pytest.raises(SyntaxFailure) as raised:
        parse_strict(b':put 1\n:put "a\\4f"\n', "billing.rsc")
    assert str(raised.value.location) == "billing.rsc:2:8"
    assert raised.value.routeros_message == "syntax error (line 2 column 8)"


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending_counts_as_one_line(newline: bytes) -> None:
    source = newline.join([b":put 1", b":put 2", b":put ("])
    issue = parse(source, "x.rsc").first_error()
    assert issue is not None
    assert (issue.location.line, issue.location.column) == (3, 6)


def test_columns_count_characters_not_bytes() -> None:
    issue = parse(':put "héllo" (').first_error()
    assert issue is not None
    assert issue.location.column == 14


def test_line_index_maps_offsets() -> None:
    index = LineIndex("ab\r\ncd\ref\ng")
    assert [index.line_col(i) for i in (0, 1, 4, 7, 10)] == [(1, 1), (1, 2), (2, 1), (3, 1), (4, 1)]


def test_hex_escapes_are_single_bytes_and_text_is_utf8() -> None:
    literal = first_string(b':put "\\E2\\9D\\A4 \xe2\x9d\xa4"')
    assert literal_bytes(literal) == b"\xe2\x9d\xa4 \xe2\x9d\xa4"


def test_simple_escapes_become_their_bytes() -> None:
    literal = first_string(b':put "\\"\\\\\\n\\r\\t\\$\\?\\_\\a\\b\\f\\v"')
    assert literal_bytes(literal) == b'"\\\n\r\t$? \x07\x08\x0c\x0b'


def test_form_feed_escape_is_0c_not_ff() -> None:
    # The manual says 0xFF; RouterOS 7.21.4 produces 0x0C (routeros-lsp E-01).
    assert literal_bytes(first_string(b':put "\\f"')) == b"\x0c"


def test_bytes_that_are_not_utf8_survive_inside_strings() -> None:
    assert literal_bytes(first_string(b':put "\xff\xfe"')) == b"\xff\xfe"


def test_backslash_newline_inside_string_eats_the_indentation() -> None:
    assert literal_bytes(first_string(b':put "abc\\\r\n      def"')) == b"abcdef"


def test_substitutions_split_a_string_into_pieces() -> None:
    pieces = string_pieces(first_string(b':put "a$b c$(1)d$[:len x]"'))
    kinds = [p if isinstance(p, bytes) else type(p).__name__ for p in pieces]
    assert kinds == [b"a", "VariablePart", b" c", "ExpressionPart", b"d", "CommandPart"]
    assert literal_bytes(first_string(b':put "a$b"')) is None


def test_empty_string_is_one_empty_piece() -> None:
    assert string_pieces(first_string(b':put ""')) == [b""]


def test_warnings_are_not_load_errors() -> None:
    # A stray backslash is ignored by RouterOS (L-03); "#" after a command is an argument, not a syntax error (L-01).
    assert parse(":put 1 \\ 2").issues == ()
    assert parse(":put 1 # x").issues == ()


def test_head_errors_inside_array_braces_are_dropped_when_the_brace_is_an_array() -> None:
    parsed = parse(':local a {{"a";"b"};{1;2}}')
    assert parsed.first_error() is not None
    assert parsed.first_error(array_spans=[(9, 26)]) is None


def test_import_lines_group_blocks_and_joined_lines() -> None:
    parsed = parse(":put 1; :put 2\n{\n:put 3\n}\n:put 4; \\\n:put 5\r\n:put 6")
    groups = statement_lines(parsed)
    assert [len(g) for g in groups] == [2, 1, 2, 1]


def test_crlf_joined_line_is_one_line() -> None:
    parsed = parse(":local a 1; \\\r\n:put $a\r\n:put 2")
    assert [len(g) for g in statement_lines(parsed)] == [2, 1]
