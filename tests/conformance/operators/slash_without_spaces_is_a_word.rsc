# source: routeros-scripting.md §2.1 ("10/2" lexes as one address-like word) [D HELP]
:put [:typeof (10 / 2)]
:put [:typeof 10/2]
# expect: num
# expect: str
