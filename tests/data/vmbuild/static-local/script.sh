# The patched drop_caches_sysctl_handler prints its static local stfu and the unexported global
# sysctl_drop_caches: the running kernel's copies, which the original function set to 4.
L=/sys/kernel/livepatch/$LP
echo 4 > /proc/sys/vm/drop_caches; mark original_write $?
mark original_log "$(dmesg | grep -c 'drop_caches: 4')"
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark transition $?
echo 4 > /proc/sys/vm/drop_caches; mark patched_write $?
mark patched_log "$(dmesg | grep -o 'klp-lsp drop_caches: .*')"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
rmmod "$LP"; mark rmmod $?
echo 4 > /proc/sys/vm/drop_caches
mark patched_log_count "$(dmesg | grep -c 'klp-lsp drop_caches')"
