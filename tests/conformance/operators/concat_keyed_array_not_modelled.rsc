# source: forum.mikrotik.com/t/169947 post 4: ($myarraylist . $mystr) prints "str1myglobalvar;str2myglobalvar", ($myarraymap . $mystr) with keyed elements "outputs empty newline" [O fx]; which value that is (nil, nothing, an empty array) is unknown, so the emulator refuses
:global myarraymap {"key1"="text1";"key2"="text2"}
:global myarraylist ("str1","str2")
:global mystr "myglobalvar"
:put ($myarraylist . $mystr)
:put ($myarraymap . $mystr)
# expect: str1myglobalvar;str2myglobalvar
# expect-refusal: '.' with an array that has keyed elements is not modelled
