# source: routeros-scripting.md §1.9; LSPDB (:if needs condition and do) [O db]
:if (true)
# expect-load-error: missing value(s) of argument(s) do
