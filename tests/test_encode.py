"""The one encoder: examples, and the property that any text becomes exactly one inert RouterOS string literal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from routeros_lsp.analyze import analyze
from routeros_lsp.syntax import ast
from routeros_lsp.syntax.parser import parse

from generator import dialects, encode
from generator.dialects import RouterOSVersion
from generator.lint import schema

V7 = RouterOSVersion.parse("7.16")

# Text an operator might type into YAML: anything Unicode, weighted towards RouterOS's special characters.
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("$\"\\?[](){};=#\n\r\t`'~ab1 ")),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=80,
)


def only_string(source: str) -> ast.StringLit:
    """The single string literal that ``:put <literal>`` holds, asserting nothing else is in the statement."""
    parsed = parse(":put " + source)
    assert parsed.diagnostics == []
    (statement,) = parsed.script.statements
    word, literal = statement.elements
    assert isinstance(word, ast.Word) and word.text == "put"
    assert isinstance(literal, ast.StringLit) and literal.closed
    return literal


def literal_bytes(literal: ast.StringLit) -> bytes:
    out = b""
    for part in literal.parts:
        # No interpolation of any kind may survive encoding: $var, $(expr) and $[cmd] are all substitutions.
        assert isinstance(part, ast.TextPart | ast.EscapePart), f"substitution in a literal: {part}"
        out += part.text.encode("latin-1")  # the encoder emits ASCII only; \XX escapes are single bytes
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("C:\\path", '"C:\\\\path"'),
        ("cost $5?", '"cost \\$5\\?"'),
        ("a\nb\r\tc", '"a\\nb\\r\\tc"'),
        ("café", '"caf\\C3\\A9"'),
        ("bell\x07", '"bell\\07"'),
        ("[:put 1]", '"[:put 1]"'),
        ("$(1+1)", '"\\$(1+1)"'),
    ],
)
def test_examples(text, expected):
    assert encode.string(text) == expected


def test_hex_escapes_are_upper_case_because_lower_case_is_a_syntax_error():
    assert encode.string("\xff\xfe") == '"\\C3\\BF\\C3\\BE"'


@settings(max_examples=400, deadline=None)
@given(texts)
def test_any_text_is_one_inert_literal_that_decodes_to_the_same_bytes(text):
    literal = encode.string(text)
    parsed = only_string(literal)
    assert literal_bytes(parsed) == text.encode("utf-8")
    assert encode.decode(literal) == text.encode("utf-8")
    assert literal.isascii()


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=4, max_value=40))
def test_wrapped_literals_decode_to_the_same_bytes(text, width):
    literal = encode.string(text, wrap=width)
    assert literal_bytes(only_string(literal)) == text.encode("utf-8")
    assert encode.decode(literal) == text.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh-.,", min_size=1, max_size=12), min_size=1, max_size=40), st.data())
def test_a_wrap_never_splits_a_word_and_follows_the_line_breaks(words, data):
    text = "".join(word + data.draw(st.sampled_from([" ", "  ", "\n", "\n  "])) for word in words)
    literal = encode.string(text, wrap=30)
    assert encode.decode(literal) == text.encode("utf-8")
    physical = [line.strip().strip('"').rstrip("\\") for line in literal.split("\n")]
    # Every physical line starts where a word starts and ends with a space or a \n escape (or the literal's end).
    pieces = " ".join(physical).replace("\\n", " ").split()
    assert pieces == text.split()
    for line in literal.split("\n")[:-1]:
        assert line.endswith((" \\", "\\n\\"))


@settings(max_examples=100, deadline=None)
@given(texts)
def test_a_literal_lints_clean_with_the_strict_checker(text):
    script = f":local v {encode.string(text)}\n:put $v\n"
    findings = analyze(script, scope="script", schema=schema(V7)).findings
    assert findings == []


def test_numbers_booleans_and_times_are_validated():
    assert encode.number(-5) == "-5"
    assert encode.boolean(False) == "false"
    assert encode.time("23:50:00") == "23:50:00" and encode.time("5s") == "5s"
    with pytest.raises(TypeError):
        encode.number(True)
    with pytest.raises(ValueError):
        encode.number(2**63)
    with pytest.raises(ValueError):
        encode.time("5s; /system reboot")
    with pytest.raises(ValueError):
        encode.word("yes no")
    with pytest.raises(ValueError):
        encode.comment_text("x\n/system reset-configuration")


def test_only_encoder_output_can_be_joined():
    with pytest.raises(TypeError):
        encode.string("a") + "raw"
    with pytest.raises(TypeError):
        encode.join([encode.string("a"), "raw"])  # type: ignore[list-item]


def test_arrays_encode_keys_and_nested_values():
    assert encode.array({"Home 10": {"cap": 5, "price": 100}}) == '{"Home 10"={"cap"=5;"price"=100}}'
    assert encode.array([50, 75]) == "{50;75}"


@pytest.mark.parametrize(
    "template",
    [
        ":put {{ value ~ '; /system reset-configuration' }}",  # joined in the template
        ":put {{ value[0:2] }}",  # a slice of encoder output
        ":put {{ value.replace('\\\\$', '$') }}",  # encoder output changed by a method
        ":put {{ value | replace('\\\\', '') }}",  # or by a filter
        "{% set raw %}x; /system reset-configuration{% endset %}:put {{ raw }}",  # text made in the template
        ":put {{ [value, value] | join(';') }}",
        ":put {{ value if false else 'raw' }}",
    ],
)
def test_text_derived_from_encoder_output_in_a_template_is_not_encoder_output(template: str) -> None:
    """The render environment's finalize hook (generator/render.py) lets only encoder output (Rsc) into the source:
    whatever a template derives from it is plain text again and is refused, so no template can undo an escape."""
    from generator.errors import RenderError
    from generator.render import environment

    env = environment(dialects.for_version(V7))
    with pytest.raises(RenderError, match="without the encoder"):
        env.from_string(template).render(value=encode.string('x$y"'))
