# source: forum.mikrotik.com/t/175598 post 5: [$fn1 address=1.1.1.1] with :return $address prints 1.1.1.1; with ":local address" first it prints nothing [O fx]
:global fn1 do={ :return $address }
:put [$fn1 address=1.1.1.1]
:global fn2 do={ :local address; :return $address }
:put [$fn2 address=1.1.1.1]
# expect: 1.1.1.1
# expect:
