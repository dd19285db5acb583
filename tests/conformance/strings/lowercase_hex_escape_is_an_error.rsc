# source: routeros-scripting.md §1.5 (hex digits must be uppercase) [D HELP] [O lsp]
:put "\4f"
# expect-load-error: syntax error (line 2 column 7)
