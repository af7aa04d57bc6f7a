'use strict';
// End-to-end: klp-lsp driven by the VS Code LSP client libraries. Opens kernel/acct.c of the
// pinned tree (no git, so the baseline is the file on disk and the patched side is this
// unsaved document), adds a member to struct bsd_acct_struct with an incremental didChange,
// expects struct-layout-change on the new member, applies the "shadow variable" quick fix and
// expects the finding to go away. Never writes a file.
//   env KLP_KERNEL_TREE  the prepared tree (required)
//   env KLP_LSP          the server binary (default: <repo>/build/server/klp-lsp)
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspSession, applyWorkspaceEdit, proto, TextDocument } = require('./lsp_session');
const { fixRegion } = require('./fix_region');

const WAIT_MS = 60000;
const QUIET_MS = 5000; // how long an unchanged file gets to (wrongly) report something
const REPO = path.resolve(__dirname, '../../..');
const EXPECTED_FIX = path.join(REPO, 'tests/data/clients/acct-shadow-fix.expected');
const FIELD = '\tunsigned long\t\tdropped;';
const FIX_TITLE = "Move 'dropped' into a shadow variable";

function environment() {
  const tree = process.env.KLP_KERNEL_TREE;
  assert.ok(tree, 'KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)');
  const server = process.env.KLP_LSP || path.join(REPO, 'build/server/klp-lsp');
  assert.ok(fs.existsSync(server), `no server binary at ${server} (set KLP_LSP)`);
  return { tree, server };
}

// The lines of `struct bsd_acct_struct { ... };`, found by content.
function structLines(lines) {
  const open = lines.indexOf('struct bsd_acct_struct {');
  assert.notEqual(open, -1, 'kernel/acct.c has no "struct bsd_acct_struct {" line');
  const close = lines.indexOf('};', open);
  assert.notEqual(close, -1, 'struct bsd_acct_struct has no closing "};" line');
  return { open, close };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('vscode-languageserver-protocol client: acct.c new member -> shadow variable', async (t) => {
  const { tree, server } = environment();
  const file = path.join(tree, 'kernel/acct.c');
  const statBefore = fs.statSync(file);
  const diskText = fs.readFileSync(file, 'utf8');
  const diskLines = diskText.split('\n');
  const { open, close } = structLines(diskLines);
  assert.equal(open, 101, 'struct bsd_acct_struct moved in the pinned tree');
  assert.equal(close, 114, 'the closing "};" of struct bsd_acct_struct moved in the pinned tree');

  const lsp = new LspSession(server, [], { cwd: tree });
  t.after(() => lsp.dispose());
  await lsp.spawned;

  // initialize: the tree is the workspace, no options; we advertise what the test checks.
  const rootUri = pathToFileURL(tree).href;
  const init = await lsp.request(
    proto.InitializeRequest.type,
    {
      processId: process.pid,
      clientInfo: { name: 'klp-lsp node client test' },
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(tree) }],
      initializationOptions: {},
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: {
            relatedInformation: true,
            codeDescriptionSupport: true,
            versionSupport: true,
          },
          codeAction: {
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] },
            },
          },
        },
        workspace: { workspaceEdit: { documentChanges: true }, workspaceFolders: true },
      },
    },
    WAIT_MS,
  );
  const caps = init.capabilities;
  const syncKind =
    typeof caps.textDocumentSync === 'number'
      ? caps.textDocumentSync
      : caps.textDocumentSync?.change;
  assert.equal(
    syncKind,
    proto.TextDocumentSyncKind.Incremental,
    'server does not take incremental didChange',
  );
  assert.ok(caps.codeActionProvider, 'server has no codeActionProvider');
  if (caps.positionEncoding !== undefined) assert.equal(caps.positionEncoding, 'utf-16');
  lsp.notify(proto.InitializedNotification.type, {});

  // Open with the text on disk: nothing differs from the baseline, so nothing to report.
  const uri = pathToFileURL(file).href;
  let doc = TextDocument.create(uri, 'c', 1, diskText);
  lsp.notify(proto.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'c', version: 1, text: diskText },
  });
  await delay(QUIET_MS);
  for (const p of lsp.published.filter((p) => p.uri === uri)) {
    assert.deepEqual(p.diagnostics, [], 'diagnostics for the unchanged file');
  }

  // Add the member as the new last field: an insertion before the closing "};".
  const afterEdit = lsp.published.length;
  const insert = { line: close, character: 0 };
  const change = { range: { start: insert, end: insert }, text: `${FIELD}\n` };
  doc = TextDocument.update(doc, [change], 2);
  assert.equal(doc.getText().split('\n')[close], FIELD);
  lsp.notify(proto.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [change],
  });
  const hasLayout = (p) => p.diagnostics.some((d) => d.code === 'struct-layout-change');
  const found = await lsp.waitForDiagnostics(
    uri,
    'struct-layout-change after adding "dropped"',
    WAIT_MS,
    {
      after: afterEdit,
      accept: (p) => (p.version === undefined || p.version >= 2) && hasLayout(p),
    },
  );
  if (found.version !== undefined) assert.equal(found.version, 2);
  const layout = found.diagnostics.filter((d) => d.code === 'struct-layout-change');
  assert.equal(layout.length, 1, `one struct-layout-change: ${JSON.stringify(layout)}`);
  const diag = layout[0];
  const nameStart = FIELD.indexOf('dropped');
  assert.equal(nameStart, 16);
  assert.equal(diag.source, 'klp-lsp');
  assert.equal(diag.severity, proto.DiagnosticSeverity.Error);
  assert.deepEqual(diag.range, {
    start: { line: close, character: nameStart },
    end: { line: close, character: nameStart + 'dropped'.length },
  });
  assert.ok(
    diag.codeDescription?.href?.endsWith('docs/rules/struct-layout-change.md'),
    JSON.stringify(diag.codeDescription),
  );
  assert.ok(
    Array.isArray(diag.relatedInformation) && diag.relatedInformation.length > 0,
    'no relatedInformation (users of the struct)',
  );
  for (const info of diag.relatedInformation) {
    assert.ok(
      info.location.uri.startsWith('file://'),
      `related location ${JSON.stringify(info.location)}`,
    );
    assert.ok(info.message.length > 0, 'related information without a message');
  }

  // The quick fix for exactly that diagnostic.
  const actions = await lsp.request(
    proto.CodeActionRequest.type,
    {
      textDocument: { uri },
      range: diag.range,
      context: { diagnostics: [diag], triggerKind: proto.CodeActionTriggerKind.Invoked },
    },
    WAIT_MS,
  );
  assert.ok(Array.isArray(actions), `codeAction result: ${JSON.stringify(actions)}`);
  const fix = actions.find((a) => a.title === FIX_TITLE);
  assert.ok(fix, `no action "${FIX_TITLE}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.kind, proto.CodeActionKind.QuickFix);
  assert.ok(
    fix.edit,
    'the quick fix has no edit (this client announced no codeAction/resolve support)',
  );

  const fixedText = applyWorkspaceEdit(doc, fix.edit);
  const fixedLines = fixedText.split('\n');
  const fixed = structLines(fixedLines);
  assert.deepEqual(
    fixedLines.slice(fixed.open, fixed.close + 1),
    diskLines.slice(open, close + 1),
    'the struct is not back to its original members',
  );
  const fixedStruct = fixedLines.slice(fixed.open, fixed.close + 1);
  assert.ok(!fixedStruct.includes(FIELD), 'the "dropped" member is still in the struct');
  assert.ok(
    fixedText.includes('klp_shadow_get_or_alloc('),
    'no klp_shadow_get_or_alloc( in the fixed text',
  );
  assert.ok(fixedText.includes('klp_shadow_free('), 'no klp_shadow_free( in the fixed text');
  const region = fixRegion(diskText, fixedText);
  if (process.env.KLP_UPDATE_EXPECTED === '1') {
    fs.writeFileSync(EXPECTED_FIX, region); // review the diff before committing it
    t.diagnostic(`wrote ${EXPECTED_FIX}`);
  }
  assert.equal(
    region,
    fs.readFileSync(EXPECTED_FIX, 'utf8'),
    `the fixed region differs from ${EXPECTED_FIX}`,
  );

  // Send the fixed text as a full-content change; the layout finding must be gone.
  const afterFix = lsp.published.length;
  doc = TextDocument.create(uri, 'c', 3, fixedText);
  lsp.notify(proto.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ text: fixedText }],
  });
  const next = await lsp.waitForDiagnostics(uri, 'diagnostics after the quick fix', WAIT_MS, {
    after: afterFix,
    accept: (p) => p.version === undefined || p.version >= 3,
  });
  assert.deepEqual(
    next.diagnostics.filter((d) => d.code === 'struct-layout-change'),
    [],
    'struct-layout-change is still reported after the quick fix',
  );

  // shutdown answers null, exit ends the process with 0.
  assert.equal(await lsp.request(proto.ShutdownRequest.type, undefined, WAIT_MS), null);
  lsp.notify(proto.ExitNotification.type);
  const exit = await lsp.waitFor('the server to exit', WAIT_MS, () => lsp.exit ?? undefined);
  assert.deepEqual(exit, { code: 0, signal: null }, `server exit${lsp.context()}`);

  const statAfter = fs.statSync(file);
  assert.equal(statAfter.mtimeMs, statBefore.mtimeMs, 'kernel/acct.c was written');
});
