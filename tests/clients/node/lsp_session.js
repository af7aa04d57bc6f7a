'use strict';
// A language server child process driven through vscode-jsonrpc (the transport VS Code itself
// uses) with the typed messages of vscode-languageserver-protocol. Records every
// textDocument/publishDiagnostics so a test can wait for the one it expects, and keeps the
// server's stderr so that a failure can show what the server said.
const { spawn } = require('node:child_process');
const {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  ResponseError,
  ErrorCodes,
} = require('vscode-jsonrpc/node');
const proto = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const STDERR_KEEP = 16384;

class LspSession {
  constructor(command, args = [], options = {}) {
    this.command = command;
    this.published = []; // {seq, uri, version, diagnostics}, in arrival order
    this.serverRequests = []; // methods of the requests the server sent us
    this.messages = []; // window/logMessage and window/showMessage texts
    this.stderr = '';
    this.exit = null; // {code, signal} once the process is gone
    this.listeners = new Set();

    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP);
    });
    this.spawned = new Promise((resolve, reject) => {
      this.child.once('spawn', resolve);
      this.child.once('error', (err) =>
        reject(new Error(`cannot start ${command}: ${err.message}`)),
      );
    });
    this.child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notifyListeners();
    });

    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    this.connection.onNotification(proto.PublishDiagnosticsNotification.type, (params) => {
      this.published.push({ seq: this.published.length, ...params });
      this.notifyListeners();
    });
    this.connection.onNotification(proto.LogMessageNotification.type, (p) =>
      this.messages.push(p.message),
    );
    this.connection.onNotification(proto.ShowMessageNotification.type, (p) =>
      this.messages.push(p.message),
    );
    // Requests a server may send to any client; answer them the way an editor with no
    // configuration and no UI would.
    this.connection.onRequest((method, params) => {
      this.serverRequests.push(method);
      switch (method) {
        case 'workspace/configuration':
          return params.items.map(() => null);
        case 'window/workDoneProgress/create':
        case 'client/registerCapability':
        case 'client/unregisterCapability':
          return null;
        case 'workspace/applyEdit':
          return { applied: false, failureReason: 'this test client applies edits itself' };
        default:
          return new ResponseError(
            ErrorCodes.MethodNotFound,
            `test client does not handle ${method}`,
          );
      }
    });
    this.connection.onError(([err]) => this.messages.push(`connection error: ${err.message}`));
    this.connection.listen();
  }

  notifyListeners() {
    for (const listener of this.listeners) listener();
  }

  // What to print when something failed: the server's last words.
  context() {
    const exit = this.exit ? `exit code ${this.exit.code}, signal ${this.exit.signal}` : 'running';
    return (
      `\n--- ${this.command}: ${exit}` +
      `\n--- server log messages (last 20):\n${this.messages.slice(-20).join('\n')}` +
      `\n--- server stderr (tail):\n${this.stderr.slice(-4000)}`
    );
  }

  // Resolves with the first value that `probe` returns other than undefined, re-probing after
  // every notification; rejects after timeoutMs or when the server exits first.
  waitFor(what, timeoutMs, probe) {
    return new Promise((resolve, reject) => {
      const finish = (fn, value) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        fn(value);
      };
      const check = () => {
        let value;
        try {
          value = probe();
        } catch (err) {
          finish(reject, err);
          return;
        }
        if (value !== undefined) finish(resolve, value);
        else if (this.exit)
          finish(reject, new Error(`server exited while waiting for ${what}${this.context()}`));
      };
      const timer = setTimeout(
        () =>
          finish(
            reject,
            new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.context()}`),
          ),
        timeoutMs,
      );
      this.listeners.add(check);
      check();
    });
  }

  // The first publishDiagnostics for `uri` with seq >= `after` that satisfies `accept`.
  waitForDiagnostics(uri, what, timeoutMs, { after = 0, accept = () => true } = {}) {
    return this.waitFor(what, timeoutMs, () =>
      this.published.find((p) => p.seq >= after && p.uri === uri && accept(p)),
    ).catch((err) => {
      const last = this.published.filter((p) => p.uri === uri).pop();
      const shown = JSON.stringify(last, null, 1);
      err.message += `\n--- last diagnostics published for ${uri}:\n${shown}`;
      throw err;
    });
  }

  // Sends a request; fails if no answer comes within timeoutMs.
  request(type, params, timeoutMs) {
    const method = typeof type === 'string' ? type : type.method;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for the answer to ${method}${this.context()}`,
          ),
        );
      }, timeoutMs);
      this.connection.sendRequest(type, params).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err) => {
          clearTimeout(timer);
          reject(new Error(`${method} failed: ${err.message}${this.context()}`));
        },
      );
    });
  }

  notify(type, params) {
    return this.connection.sendNotification(type, params);
  }

  dispose() {
    this.connection.dispose();
    if (!this.exit) this.child.kill('SIGKILL');
  }
}

// The text of `doc` after a WorkspaceEdit. Every change must be a text edit of this document
// (either `changes` or `documentChanges` form); anything else is a test failure.
function applyWorkspaceEdit(doc, edit) {
  let edits = [];
  for (const [uri, list] of Object.entries(edit.changes ?? {})) {
    if (uri !== doc.uri) throw new Error(`workspace edit changes another document: ${uri}`);
    edits = edits.concat(list);
  }
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change))
      throw new Error(`workspace edit has a resource operation: ${change.kind}`);
    if (change.textDocument.uri !== doc.uri) {
      throw new Error(`workspace edit changes another document: ${change.textDocument.uri}`);
    }
    if (change.textDocument.version !== null && change.textDocument.version !== doc.version) {
      throw new Error(
        `workspace edit for version ${change.textDocument.version}, document at ${doc.version}`,
      );
    }
    edits = edits.concat(change.edits);
  }
  return TextDocument.applyEdits(doc, edits);
}

module.exports = { LspSession, applyWorkspaceEdit, proto, TextDocument };
