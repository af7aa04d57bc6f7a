# Pre/post patch and unpatch callbacks (klp_lsp.h) of vmlinux print markers in the kernel log.
L=/sys/kernel/livepatch/$LP
seen() { dmesg | grep -c "klp-lsp callback: $1"; }
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark transition $?
mark pre_patch "$(dmesg | grep -o 'klp-lsp callback: pre_patch .*')"
mark post_patch "$(seen post_patch)"
mark pre_unpatch "$(seen pre_unpatch)"
mark version "$(cut -d' ' -f1-2 /proc/version)"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
mark pre_unpatch_after "$(seen pre_unpatch)"
mark post_unpatch_after "$(seen post_unpatch)"
rmmod "$LP"; mark rmmod $?
mark version_after "$(cut -d' ' -f1-2 /proc/version)"
