# source: HELP Scripting manual ":serialize to=dsv" (documented, not emulated yet) [D]
:local test {a=(1,2,3);b=(4,5,6);c=(7,"text",9)}
:put [:serialize to=dsv delimiter=";" value=$test order=("c","a","b")]
# expect-refusal: to=dsv is not modelled
