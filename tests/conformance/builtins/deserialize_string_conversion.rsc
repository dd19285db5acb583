# source: HELP Scripting manual ":deserialize" ("json.no-string-conversion - prevents implicit conversions from json string type to console values (number, ip, etc.)"; example typeof ->"str" is str with the option) [D]
:put [:typeof ([:deserialize "{ \"str\": \"123\" }" from=json options=json.no-string-conversion]->"str")]
:put [:typeof ([:deserialize "{ \"str\": \"123\" }" from=json]->"str")]
:put [:typeof ([:deserialize "{ \"a\": \"10.0.0.1\" }" from=json]->"a")]
:put [:typeof ([:deserialize "{ \"a\": \"text\" }" from=json]->"a")]
# expect: str
# expect: num
# expect: ip
# expect: str
