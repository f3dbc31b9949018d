#!/bin/ksh
# remove alice's old work files
find /home/alice/work -type f -mtime +7 -exec rm -f {} \;
