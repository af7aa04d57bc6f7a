# The patch adds a static helper (noinline) that the changed version_proc_show calls: the
# module carries it as a new function; /proc/version gains a second line while enabled.
L=/sys/kernel/livepatch/$LP
mark lines_before "$(wc -l < /proc/version)"
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark settled $?
mark enabled "$(cat $L/enabled)"
mark transition "$(cat $L/transition)"
mark functions $(cd $L/vmlinux && ls -d *,*)
mark lines "$(wc -l < /proc/version)"
mark tag "$(tail -n 1 /proc/version)"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
rmmod "$LP"; mark rmmod $?
mark lines_after "$(wc -l < /proc/version)"
