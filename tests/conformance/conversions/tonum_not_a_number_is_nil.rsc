# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Data conversion": ":tonum" of "23.8" or "cow&chicken" is empty and its type nil [D]
:put [:tonum "23.8"]
:put [:typeof [:tonum "23.8"]]
:put [:typeof [:tonum "cow&chicken"]]
# expect:
# expect: nil
# expect: nil
