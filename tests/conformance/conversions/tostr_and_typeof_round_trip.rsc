# source: HELP Scripting manual (":tostr" converts a variable to a string; ":typeof" returns the data type) [D]; TIPS "Why find does not work": [:tostr 111.111.1.1/24] compares equal to the string "111.111.1.1/24" [D]
:put [:typeof [:tostr 111.111.1.1/24]]
:put ([:tostr 111.111.1.1/24] = "111.111.1.1/24")
:put (111.111.1.1/24 = "111.111.1.1/24")
:put [:tostr 1d2h]
:put [:tostr true]
# expect: str
# expect: true
# expect: false
# expect: 1d02:00:00
# expect: true
