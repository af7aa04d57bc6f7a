;;; documented_config.el --- the documented Eglot set-up, real klp-lsp -*- lexical-binding: t -*-

;; Loaded after docs/editors/klp-lsp-eglot.el (the documented config, as it is):
;;   emacs --batch -q \
;;     --eval '(setq create-lockfiles nil make-backup-files nil auto-save-default nil)' \
;;     -l docs/editors/klp-lsp-eglot.el -l tests/clients/emacs/documented_config.el
;; (tests/clients/run emacs-eglot; -q, not -Q, which leaves out Debian's site-lisp and Eglot).
;; Env KLP_KERNEL_TREE (the prepared tree, required) and KLP_LSP (the server; the config reads
;; it).  Opens kernel/acct.c of the pinned tree with find-file (c-mode, the config's hook runs
;; eglot-ensure), adds a member to struct bsd_acct_struct, expects struct-layout-change in
;; Flymake at exactly the member's name, runs M-x klp-lsp-check-patch (klp.checkPatch) and
;; expects verdict "unsafe", then shuts the server down and quits without saving.
;; Batch Emacs has no command loop: the test runs `post-command-hook' once after find-file (the
;; end of the command, where eglot-ensure connects) and the one-shot idle timers while it waits
;; (where Eglot sends didChange and Flymake starts), as an idle interactive Emacs would.
;; Exit status 0 on success, 1 with the reason on stderr.

(require 'cl-lib)
(require 'seq)

(defconst klp-test-wait 60 "Seconds any wait may take.")
(defconst klp-test-quiet 5 "Seconds an unchanged file gets to (wrongly) report something.")
(defconst klp-test-field "\tunsigned long\t\tdropped;")
(define-error 'klp-test-failure "klp-lsp eglot test failed")

(defun klp-test-fail (fmt &rest args)
  (signal 'klp-test-failure (list (apply #'format fmt args))))

(defun klp-test-eq (got want what)
  (unless (equal got want)
    (klp-test-fail "%s: expected %S, got %S" what want got)))

(defun klp-test-run-idle-timers ()
  "Run the pending one-shot idle timers, as Emacs does once the user stops typing."
  (dolist (timer (copy-sequence timer-idle-list))
    (unless (timer--repeat-delay timer)
      (timer-event-handler timer))))  ; takes it off the list, then runs it

(defun klp-test-wait-until (pred what &optional seconds)
  "Process events until PRED returns non-nil.
Fail after SECONDS (default `klp-test-wait')."
  (let ((deadline (+ (float-time) (or seconds klp-test-wait)))
        value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (klp-test-run-idle-timers))
    (or value (klp-test-fail "timed out after %ss waiting for %s"
                             (or seconds klp-test-wait) what))))

(defun klp-test-layout-diags ()
  (seq-filter (lambda (d)
                (equal (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :code)
                       "struct-layout-change"))
              (flymake-diagnostics)))

(defun klp-test-line-col (pos)
  "0-based line and column (characters) of POS."
  (save-excursion
    (goto-char pos)
    (list (1- (line-number-at-pos)) (- pos (line-beginning-position)))))

(defun klp-test-range (range)
  "An LSP RANGE (a plist, keys in any order) as ((LINE CHAR) (LINE CHAR))."
  (mapcar (lambda (end) (let ((pos (plist-get range end)))
                          (list (plist-get pos :line) (plist-get pos :character))))
          '(:start :end)))

(defun klp-test-context (server)
  (concat
   (when server
     (let ((stderr (get-buffer (format "*%s stderr*" (jsonrpc-name server)))))
       (when stderr
         (with-current-buffer stderr
           (concat "\n--- server stderr (tail):\n"
                   (buffer-substring-no-properties
                    (max (point-min) (- (point-max) 3000)) (point-max)))))))
   (let ((msgs (get-buffer "*Messages*")))
     (when msgs
       (with-current-buffer msgs
         (concat "\n--- *Messages* (tail):\n"
                 (buffer-substring-no-properties
                  (max (point-min) (- (point-max) 2000)) (point-max))))))))

(defvar klp-test-server nil)

(defun klp-test-main ()
  (let* ((tree (or (getenv "KLP_KERNEL_TREE")
                   (klp-test-fail
                    "KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)")))
         (tree (directory-file-name (expand-file-name tree)))
         (file (expand-file-name "kernel/acct.c" tree))
         (repo (expand-file-name "../../.." (file-name-directory load-file-name)))
         (mtime (file-attribute-modification-time (file-attributes file)))
         (lock (expand-file-name "kernel/.#acct.c" tree))
         (autosave (expand-file-name "kernel/#acct.c#" tree)))
    (klp-test-eq (featurep 'klp-lsp-eglot) t "docs/editors/klp-lsp-eglot.el loaded")
    (unless (executable-find klp-lsp-program)
      (klp-test-fail "no server binary %s (set KLP_LSP)" klp-lsp-program))
    (klp-test-eq klp-lsp-program (getenv "KLP_LSP") "klp-lsp-program (from KLP_LSP)")
    (klp-test-eq (klp-lsp-kernel-root (expand-file-name "kernel/" tree)) tree "kernel root")
    (klp-test-eq (klp-lsp-kernel-root repo) nil "kernel root of the repository")
    ;; A setting, as a user would set one: it reaches the server by didChangeConfiguration.
    (setq klp-lsp-settings '(:debounceMs 100))

    (find-file file)
    (klp-test-eq major-mode 'c-mode "major mode of kernel/acct.c")
    (klp-test-eq (buffer-substring-no-properties
                  (progn (goto-char (point-min)) (forward-line 101) (point)) (line-end-position))
                 "struct bsd_acct_struct {" "line 101 (0-based)")
    (klp-test-eq (progn (forward-line 13)
                        (buffer-substring-no-properties (point) (line-end-position)))
                 "};" "line 114 (0-based)")
    (run-hooks 'post-command-hook)      ; find-file is over: eglot-ensure connects
    (setq klp-test-server
          (klp-test-wait-until (lambda () (and eglot--managed-mode (eglot-current-server)))
                               "Eglot to manage kernel/acct.c"))
    (klp-test-eq (project-root (eglot--project klp-test-server)) (file-name-as-directory tree)
                 "project root")
    (klp-test-eq (eglot--server-capable :executeCommandProvider :commands)
                 ["klp.checkPatch" "klp.buildModule" "klp.targetStatus"] "executeCommandProvider commands")
    (klp-test-eq (eglot--workspace-configuration-plist klp-test-server)
                 '(:klp-lsp (:debounceMs 100)) "workspace configuration sent")
    (klp-test-eq flymake-mode t "flymake-mode in the managed buffer")

    ;; The file as on disk: nothing to report.
    (let ((deadline (+ (float-time) klp-test-quiet)))
      (while (< (float-time) deadline)
        (accept-process-output nil 0.05)
        (klp-test-run-idle-timers)))
    (klp-test-eq (flymake-diagnostics) nil "diagnostics of the unchanged file")

    ;; The new last member (line 114 is the closing "};", point is at its start).
    (insert klp-test-field "\n")
    (let* ((diags (klp-test-wait-until #'klp-test-layout-diags "struct-layout-change in Flymake"))
           (d (car diags))
           (lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
      (klp-test-eq (length diags) 1 "number of struct-layout-change diagnostics")
      (klp-test-eq (list (klp-test-line-col (flymake-diagnostic-beg d))
                         (klp-test-line-col (flymake-diagnostic-end d)))
                   '((114 16) (114 23)) "Flymake region (0-based line, column)")
      (klp-test-eq (klp-test-range (plist-get lsp :range)) '((114 16) (114 23)) "LSP range")
      (klp-test-eq (flymake-diagnostic-type d) 'eglot-error "Flymake type")
      (klp-test-eq (plist-get lsp :source) "klp-lsp" "source"))

    ;; M-x klp-lsp-check-patch, with a callback for the report.
    (let (done err report)
      (klp-lsp-check-patch (lambda (e r) (setq done t err e report r)))
      (klp-test-wait-until (lambda () done) "the answer of klp.checkPatch")
      (when err (klp-test-fail "klp.checkPatch failed: %S" err))
      (klp-test-eq (plist-get report :verdict) "unsafe" "verdict of klp.checkPatch")
      (klp-test-eq (plist-get report :changedFiles) ["kernel/acct.c"] "changedFiles")
      (let ((found (seq-filter (lambda (f) (equal (plist-get f :rule) "struct-layout-change"))
                               (plist-get report :findings))))
        (klp-test-eq (length found) 1 "struct-layout-change findings in the report")
        (klp-test-eq (list (plist-get (car found) :file) (plist-get (car found) :severity)
                           (klp-test-range (plist-get (car found) :range)))
                     '("kernel/acct.c" "error" ((114 16) (114 23)))
                     "the finding in the report"))
      (with-current-buffer "*klp-lsp check*"
        (goto-char (point-min))
        (klp-test-eq (buffer-substring-no-properties (point) (line-end-position))
                     "klp-lsp: verdict unsafe" "first line of *klp-lsp check*")
        (unless (re-search-forward
                 "^kernel/acct\\.c:115:17: error: .* \\[struct-layout-change\\]$" nil t)
          (klp-test-fail "no struct-layout-change line in *klp-lsp check*:\n%s" (buffer-string)))))

    ;; M-x eglot-shutdown, then quit without saving.
    (let ((proc (jsonrpc--process klp-test-server)))
      (eglot-shutdown klp-test-server nil klp-test-wait)
      (klp-test-eq (process-live-p proc) nil "server process alive after eglot-shutdown"))
    (klp-test-eq (buffer-modified-p) t "the buffer still holds the unsaved edit")
    (klp-test-eq (file-attribute-modification-time (file-attributes file)) mtime
                 "mtime of kernel/acct.c (it must never be written)")
    (klp-test-eq (list (file-symlink-p lock) (file-exists-p autosave)) '(nil nil)
                 "lock or auto-save file in the tree")))

(condition-case e
    (progn
      (klp-test-main)
      (princ "emacs eglot: klp-lsp diagnostics and klp.checkPatch passed\n")
      (kill-emacs 0))
  (error
   (princ (format "emacs eglot: FAILED: %s%s\n"
                  (if (eq (car e) 'klp-test-failure) (cadr e) (error-message-string e))
                  (klp-test-context klp-test-server))
          #'external-debugging-output)
   (when (and klp-test-server (jsonrpc-running-p klp-test-server))
     (ignore-errors (eglot-shutdown klp-test-server nil 5)))
   (kill-emacs 1)))

;;; documented_config.el ends here
