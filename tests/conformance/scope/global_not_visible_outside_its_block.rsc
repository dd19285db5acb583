# source: HELP Scripting manual "Local scope" (https://help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting, 2026-05 snapshot): "{ :local a 3; { :global b 4; } :put ($a+$b); }" — "The code above will output 3, because outside of the scope b is not visible" [D]; the v6 wiki (Manual:Scripting) said it "will generate an error": superseded
{
  :local a 3
  { :global b 4 }
  :put ($a + $b)
}
# expect: 3
