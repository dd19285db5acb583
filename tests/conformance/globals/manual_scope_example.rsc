# source: HELP Scripting manual "Scopes" example ({ :local a 3; { :global b 4 }; :global b; :put ($a+$b) }) [D]
{
  :local a 3
  { :global b 4 }
  :global b
  :put ($a + $b)
}
# expect: 7
