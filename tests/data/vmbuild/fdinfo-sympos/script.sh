# seq_fdinfo_open passes fs/proc/fd.c's static seq_show, one of two seq_show in vmlinux: the
# module reaches it through a livepatch relocation with position 1. The patched open logs.
L=/sys/kernel/livepatch/$LP
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark settled $?
mark enabled "$(cat $L/enabled)"
mark transition "$(cat $L/transition)"
mark functions $(cd $L/vmlinux && ls -d *,*)
mark fdinfo "$(head -n 1 /proc/self/fdinfo/0 | tr '\t' ' ')"
mark logged "$(dmesg | grep -c 'klp-lsp: fdinfo opened')"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
rmmod "$LP"; mark rmmod $?
mark fdinfo_after "$(head -n 1 /proc/self/fdinfo/0 | tr '\t' ' ')"
mark logged_after "$(dmesg | grep -c 'klp-lsp: fdinfo opened')"
