# source: routeros-scripting.md §4.4 (a recursive function must declare itself) [EW]
:global fact do={ :global fact; :if ($1 <= 1) do={ :return 1 }; :return ($1 * [$fact ($1 - 1)]) }
:put [$fact 5]
# expect: 120
