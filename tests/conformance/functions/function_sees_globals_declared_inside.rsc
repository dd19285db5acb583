# source: HELP Scripting manual "Nested function example"; routeros-scripting.md §4.3 [D]
:global funcA do={ :return "a" }
:global funcB do={ :global funcA; :return ([$funcA] . "b") }
:put [$funcB]
# expect: ab
