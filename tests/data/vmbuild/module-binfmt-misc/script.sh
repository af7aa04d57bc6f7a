# bm_status_read of the shipped module binfmt_misc: patched with the module loaded before the
# livepatch, then with the module loaded after it (the klp_object is patched when it comes).
L=/sys/kernel/livepatch/$LP
S=/proc/sys/fs/binfmt_misc
load_module binfmt_misc; mark load $?
mount -t binfmt_misc binfmt_misc $S; mark mount $?
mark before "$(cat $S/status)"
insmod "$KO"; mark insmod $?
wait_value $L/transition 0; mark transition $?
mark object_patched "$(cat $L/binfmt_misc/patched)"
mark patched "$(cat $S/status)"
echo 0 > $L/enabled
wait_gone $L; mark disabled $?
rmmod "$LP"; mark rmmod $?
mark after "$(cat $S/status)"
umount $S; rmmod binfmt_misc; mark unload_target $?
insmod "$KO"; mark insmod_first $?
wait_value $L/transition 0; mark transition_first $?
mark object_waiting "$(cat $L/binfmt_misc/patched)"
load_module binfmt_misc; mark load_late $?
mount -t binfmt_misc binfmt_misc $S; mark mount_late $?
mark object_patched_late "$(cat $L/binfmt_misc/patched)"
mark patched_late "$(cat $S/status)"
echo 0 > $L/enabled
wait_gone $L; mark disabled_late $?
rmmod "$LP"; mark rmmod_late $?
mark after_late "$(cat $S/status)"
