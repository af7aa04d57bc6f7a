# The bundled sample patch: /proc/cmdline prints a fixed text while the patch is enabled.
L=/sys/kernel/livepatch/$LP
mark before "$(cat /proc/cmdline)"
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark settled $?
mark enabled "$(cat $L/enabled)"
mark transition "$(cat $L/transition)"
mark functions $(cd $L/vmlinux && ls -d *,*)
mark patched "$(cat /proc/cmdline)"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
rmmod "$LP"; mark rmmod $?
mark restored "$(cat /proc/cmdline)"
