# A shadow variable (klp_lsp.h) counts reads of /proc/cmdline while the patch is on; the
# post-unpatch callback frees it.
L=/sys/kernel/livepatch/$LP
reads() { grep -o '^reads=[-0-9]*' /proc/cmdline; }
mark before "$(reads)"
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark transition $?
mark enabled "$(cat $L/enabled)"
mark read1 "$(reads)"
mark read2 "$(reads)"
mark read3 "$(reads)"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
mark freed "$(dmesg | grep -o 'klp-lsp: cmdline reads .*')"
rmmod "$LP"; mark rmmod $?
mark after "$(reads)"
