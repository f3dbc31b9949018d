#!/bin/ksh
# count the messages delivered yesterday
grep -c 'stat=Sent' /var/adm/mail.log
