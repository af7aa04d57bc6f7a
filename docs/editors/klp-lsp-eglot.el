;;; klp-lsp-eglot.el --- klp-lsp with Eglot (Emacs 28, Eglot 1.9) -*- lexical-binding: t -*-

;; Install: `apt-get install emacs-nox elpa-eglot' (or Emacs 29+, where Eglot is built in), then
;; load this file from your init file: (load "/path/to/klp-lsp-eglot.el").
;;
;; Every C buffer inside a prepared kernel tree (a directory with MAINTAINERS, Kbuild and
;; Makefile) gets klp-lsp through `eglot-ensure', with the tree as the project root (the
;; Debian tree is not a git repository, so project.el alone would not find its top).  Then:
;;   diagnostics    Flymake: M-x flymake-show-buffer-diagnostics, M-x flymake-goto-next-error
;;   quick fixes    M-x eglot-code-actions (on the diagnostic)
;;   hover          M-x eldoc (old and new struct layout)
;;   M-x klp-lsp-check-patch    klp.checkPatch: verdict in the echo area, findings in the
;;                              *klp-lsp check* buffer (compilation mode: RET, M-g n)
;;   M-x klp-lsp-build-module   klp.buildModule: the livepatch module of all changes, saved
;;                              and unsaved (C-u asks for the output .ko)
;; Settings: `klp-lsp-settings' (sent as workspace configuration; keys as in the README:
;; baseline, kernelTree, debounceMs, severity, pushDiagnostics); change it, then
;; M-x eglot-signal-didChangeConfiguration.

(require 'eglot)
(require 'project)
(require 'seq)

(defvar klp-lsp-program (or (getenv "KLP_LSP") "klp-lsp")
  "The klp-lsp executable: $KLP_LSP when set, else klp-lsp from `exec-path'.")

(defvar klp-lsp-settings nil
  "klp-lsp settings as a plist, e.g. (:baseline \"disk\").
Another: (:severity (:header-fanout \"off\")).  nil: baseline git:HEAD in
a git tree, else the files as saved on disk.")

(defun klp-lsp-kernel-root (dir)
  "The top of the kernel tree DIR is in, or nil."
  (let ((root (locate-dominating-file
               dir (lambda (d)
                     (seq-every-p (lambda (f) (file-regular-p (expand-file-name f d)))
                                  '("MAINTAINERS" "Kbuild" "Makefile"))))))
    (and root (directory-file-name (expand-file-name root)))))

(defun klp-lsp-project (dir)
  "project.el: a kernel tree is a project rooted at its top."
  (let ((root (klp-lsp-kernel-root dir)))
    (and root (cons 'transient (file-name-as-directory root)))))
(add-hook 'project-find-functions #'klp-lsp-project)

;; In a kernel tree Eglot runs klp-lsp for C buffers (Eglot 1.9 runs one server per buffer).
(add-to-list 'eglot-server-programs
             `(c-mode . ,(lambda (&rest _) (list klp-lsp-program))))
(setq-default eglot-workspace-configuration
              (lambda (_server) (and klp-lsp-settings `((:klp-lsp . ,klp-lsp-settings)))))

(defun klp-lsp-maybe-start ()
  "Start klp-lsp for this C buffer when it is a file of a kernel tree."
  (when (and buffer-file-name (klp-lsp-kernel-root default-directory))
    (eglot-ensure)))
(add-hook 'c-mode-hook #'klp-lsp-maybe-start)

(defun klp-lsp--execute (command arguments on-result)
  "Run COMMAND with ARGUMENTS on this buffer's server.
ON-RESULT gets (ERROR RESULT)."
  (let ((server (eglot--current-server-or-lose)))
    (jsonrpc-async-request
     server :workspace/executeCommand
     `(:command ,command ,@(and arguments `(:arguments ,arguments)))
     :success-fn (lambda (result) (funcall on-result nil result))
     :error-fn (lambda (err)
                 (message "klp-lsp: %s: %s" command (plist-get err :message))
                 (funcall on-result err nil))
     :timeout-fn (lambda ()
                   (message "klp-lsp: %s timed out" command)
                   (funcall on-result '(:message "timeout") nil))
     :timeout 3600)
    server))

(defun klp-lsp-check-patch (&optional callback)
  "Run klp.checkPatch: the verdict of all changes against the baseline.
Shows the findings in *klp-lsp check*; then calls CALLBACK with
\(ERROR REPORT), REPORT being the JSON report as a plist."
  (interactive)
  (let ((root (project-root (eglot--project (eglot--current-server-or-lose))))
        (show (called-interactively-p 'interactive)))
    (klp-lsp--execute
     "klp.checkPatch" nil
     (lambda (err report)
       (when report
         (with-current-buffer (get-buffer-create "*klp-lsp check*")
           (let ((inhibit-read-only t))
             (erase-buffer)
             (setq default-directory root)
             (insert (format "klp-lsp: verdict %s\n" (plist-get report :verdict)))
             (seq-doseq (f (plist-get report :findings))
               (let ((start (plist-get (plist-get f :range) :start)))
                 (insert (format "%s:%d:%d: %s: %s [%s]\n" (plist-get f :file)
                                 (1+ (plist-get start :line)) (1+ (plist-get start :character))
                                 (plist-get f :severity) (plist-get f :message)
                                 (plist-get f :rule)))))
             (compilation-mode))
           (when show (display-buffer (current-buffer))))
         (message "klp-lsp: verdict %s, %d finding(s), %d function(s) (see *klp-lsp check*)"
                  (plist-get report :verdict) (length (plist-get report :findings))
                  (length (plist-get report :functions))))
       (when callback (funcall callback err report))))))

(defun klp-lsp-build-module (&optional output callback)
  "Run klp.buildModule: build the livepatch module of all changes.
OUTPUT is an absolute .ko path outside the tree (nil: the server's
default); with a prefix argument it is asked for.  CALLBACK gets
\(ERROR RESULT) when given."
  (interactive (list (and current-prefix-arg
                          (expand-file-name (read-file-name "Module (.ko): " "~/")))))
  (message "klp-lsp: building the livepatch module...")
  (klp-lsp--execute
   "klp.buildModule" (and output (vector `(:output ,output)))
   (lambda (err result)
     (when result (message "klp-lsp: module built: %s" (plist-get result :ko)))
     (when callback (funcall callback err result)))))

(provide 'klp-lsp-eglot)
;;; klp-lsp-eglot.el ends here
