# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Nested function example" (:global funcA do={ :return 5 }; :global funcB do={ :global funcA; :return ([$funcA] + 4) }; :put [$funcB] gives 9) [D]
:global funcA do={ :return 5 }
:global funcB do={ :global funcA; :return ([$funcA] + 4) }
:put [$funcB]
# expect: 9
