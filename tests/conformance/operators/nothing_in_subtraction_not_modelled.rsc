# source: HELP Scripting manual "Local scope" documents only num + nothing (prints the num) [D]; what - * / % give with a nothing operand is not stated, so the emulator refuses [I]
{
  :local a 3
  :put ($a + $undeclared)
  :put ($a - $undeclared)
}
# expect: 3
# expect-refusal: (num - nothing) is not modelled
