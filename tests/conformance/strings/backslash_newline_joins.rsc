# source: routeros-scripting.md §1.3 (backslash-newline plus the next line's indentation vanish) [D M29] [O lsp L-04]
:put "abc\
      def"
# expect: abcdef
