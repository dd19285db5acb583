# source: HELP Scripting examples (help.mikrotik.com/docs/spaces/ROS/pages/139067404/Scripting+examples) "Write simple queue stats in multiple files" (fileCount ($numQueues / $entriesPerFile), plus one when ($fileCount * $entriesPerFile) != $numQueues: integer division) [D]
:local entriesPerFile 10
:foreach numQueues in={0; 9; 10; 25} do={
  :local fileCount ($numQueues / $entriesPerFile)
  :if (($fileCount * $entriesPerFile) != $numQueues) do={ :set fileCount ($fileCount + 1) }
  :put "fileCount=$fileCount"
}
# expect: fileCount=0
# expect: fileCount=1
# expect: fileCount=1
# expect: fileCount=3
