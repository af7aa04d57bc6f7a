// The round trip the extension relies on, against the real klp-lsp and the pinned kernel tree
// (env KLP_LSP, KLP_KERNEL_TREE, KLP_TARGET_SYMBOLS; ctest vscode.integration): the server is
// started from the extension's own settings mapping, and what it sends goes through the
// extension's own parsers and view models.
//   - klp/verdict after every analysis, turned into the status bar text and the functions view;
//   - klp.checkPatch with $/progress, answering the report the last klp/verdict carried;
//   - klp.buildModule with $/progress, the .ko linked for the configured target kernel, and
//     cancellation from the progress notification;
//   - targetKernel reaching the server (a release without headers is refused by name).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedFunctionGroups } from '../../src/changedFunctions';
import {
  CheckReport,
  parseBuildResult,
  parseCheckReport,
  parseVerdictNotification,
  VERDICT_NOTIFICATION,
} from '../../src/report';
import { buildRequest, configurationPayload, RawSettings, serverLaunch } from '../../src/settings';
import { statusView } from '../../src/status';
import { parseTargetStatus, targetSummary } from '../../src/targetStatus';
import { ServerSession } from './serverSession';

const TREE = process.env.KLP_KERNEL_TREE ?? '';
const SERVER = process.env.KLP_LSP ?? '';
const SYMBOLS = process.env.KLP_TARGET_SYMBOLS ?? '';
const RELEASE = '6.1.0-50-amd64';
const WAIT_MS = 60_000;
const BUILD_MS = 240_000;

function uriOf(Rel: string): string {
  return `file://${TREE}/${Rel}`;
}

function reportOf(P: unknown): CheckReport {
  const V = parseVerdictNotification(P);
  if ('error' in V) throw new Error(`klp/verdict carried an error: ${V.error}`);
  return V.report;
}

describe('klp-lsp through the protocol library the extension uses', function () {
  this.timeout(600_000);
  let S: ServerSession;
  let OutDir: string;
  let Raw: RawSettings;

  before(async function () {
    for (const [Name, Value] of [['KLP_KERNEL_TREE', TREE], ['KLP_LSP', SERVER], ['KLP_TARGET_SYMBOLS', SYMBOLS]])
      assert.ok(Value, `${Name} is not set (scripts/test exports it; see tests/CMakeLists.txt)`);
    OutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klp-vscode-itest-'));
    Raw = {
      serverPath: SERVER,
      kernelTree: TREE,
      debounceMs: 0,
      targetRelease: RELEASE,
      targetSymbols: SYMBOLS,
      buildOutputDirectory: OutDir,
      buildModuleName: 'livepatch_itest',
    };
    const Launch = serverLaunch(Raw, { workspaceFolder: TREE, home: os.homedir() });
    assert.deepEqual(Launch.problems, []);
    assert.deepEqual(Launch.settings, {
      kernelTree: TREE,
      debounceMs: 0,
      targetKernel: RELEASE,
      verdictNotification: true,
    });
    S = new ServerSession(Launch);
    const Init = await S.request<{ capabilities: { executeCommandProvider: { commands: string[] } } }>(
      'initialize',
      {
        processId: process.pid,
        rootUri: `file://${TREE}`,
        capabilities: { window: { workDoneProgress: true } },
        initializationOptions: Launch.settings,
      },
    );
    assert.deepEqual(Init.capabilities.executeCommandProvider.commands, ['klp.checkPatch', 'klp.buildModule', 'klp.targetStatus']);
    await S.notify('initialized', {});
  });

  after(async function () {
    if (!S) return;
    if (S.exitCode === undefined) {
      await S.request('shutdown', null).catch(() => undefined);
      await S.notify('exit', null).catch(() => undefined);
      await S.exited(10_000).catch(() => undefined);
    }
    S.dispose();
    fs.rmSync(OutDir, { recursive: true, force: true });
  });

  it('sends a klp/verdict for the first analysis: no changes', async function () {
    const N = await S.notice(VERDICT_NOTIFICATION, WAIT_MS);
    const R = reportOf(N.params);
    assert.deepEqual([R.verdict, R.findings, R.functions, R.changedFiles], ['safe', [], [], []]);
    assert.equal(statusView({ kind: 'checked', report: R }).text, '$(pass) klp: no changes');
  });

  it('sends a klp/verdict per edit, which the status bar and the functions view show', async function () {
    const Text = fs.readFileSync(path.join(TREE, 'fs/proc/cmdline.c'), 'utf8');
    const Lines = Text.split('\n');
    assert.equal(Lines[8], '\tseq_puts(m, saved_command_line);');
    assert.equal(Lines[9], "\tseq_putc(m, '\\n');");
    const Uri = uriOf('fs/proc/cmdline.c');
    let After = S.lastSeq();
    await S.notify('textDocument/didOpen', {
      textDocument: { uri: Uri, languageId: 'c', version: 1, text: Text },
    });
    await S.notice(VERDICT_NOTIFICATION, WAIT_MS, After);
    After = S.lastSeq();
    await S.notify('textDocument/didChange', {
      textDocument: { uri: Uri, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 8, character: 0 }, end: { line: 10, character: 0 } },
          text: '\tseq_printf(m, "%s\\n", "this has been live patched");\n',
        },
      ],
    });
    const N = await S.notice(VERDICT_NOTIFICATION, WAIT_MS, After);
    const R = reportOf(N.params);
    assert.equal(R.verdict, 'safe');
    assert.deepEqual(R.changedFiles, ['fs/proc/cmdline.c']);
    assert.deepEqual(
      R.findings.map((F) => `${F.rule} ${F.severity} ${F.file} ${F.range.start.line}:${F.range.start.character}`),
      ['changed-function info fs/proc/cmdline.c 6:11'],
    );
    assert.equal(statusView({ kind: 'checked', report: R }).text, '$(pass) klp: safe');
    const Groups = changedFunctionGroups(R, TREE);
    assert.deepEqual(
      Groups.map((G) => [G.status, G.label, G.functions.map((F) => [F.name, F.description, F.location?.line])]),
      [['changed', 'Changed (1)', [['cmdline_proc_show', 'fs/proc/cmdline.c:7', 6]]]],
    );

    // klp.checkPatch answers the same report, with progress on the client's token.
    S.trackProgress('itest-check');
    const Answer = parseCheckReport(
      await S.request('workspace/executeCommand', {
        command: 'klp.checkPatch',
        arguments: [],
        workDoneToken: 'itest-check',
      }),
    );
    assert.deepEqual(Answer, R);
    assert.deepEqual(
      S.progress('itest-check').map((V) => [V.kind, V.title ?? V.message]),
      [
        ['begin', 'klp-lsp: checking the patch'],
        ['end', 'verdict: safe'],
      ],
    );
  });

  it('builds the module for the configured target, with progress', async function () {
    const Req = buildRequest(Raw, { workspaceFolder: TREE, home: os.homedir() }, TREE);
    const Ko = path.join(OutDir, 'livepatch_itest.ko');
    assert.deepEqual(Req, { argument: { name: 'livepatch_itest', output: Ko } });
    S.trackProgress('itest-build');
    const B = parseBuildResult(
      await S.request('workspace/executeCommand', {
        command: 'klp.buildModule',
        arguments: [Req.argument],
        workDoneToken: 'itest-build',
      }),
    );
    assert.equal(B.ko, Ko);
    assert.deepEqual(B.objects, [{ object: 'vmlinux', functions: ['cmdline_proc_show'], newFunctions: [] }]);
    assert.deepEqual(B.functions, [{ name: 'cmdline_proc_show', file: 'fs/proc/cmdline.c', status: 'changed' }]);
    const Bytes = fs.readFileSync(Ko);
    assert.equal(Bytes.subarray(0, 4).toString('latin1'), '\x7fELF');
    assert.ok(
      Bytes.includes(`vermagic=${RELEASE} SMP preempt mod_unload modversions`),
      'the module is linked against the target release',
    );
    const P = S.progress('itest-build');
    assert.deepEqual(P[0], {
      kind: 'begin',
      title: 'klp-lsp: building the livepatch module',
      cancellable: true,
      message: 'waiting for the analysis of the changes',
    });
    assert.deepEqual(P[P.length - 1], { kind: 'end', message: `built ${Ko}` });
    const Reports = P.slice(1, -1);
    assert.ok(Reports.length >= 3, `build progress reports: ${JSON.stringify(Reports)}`);
    assert.ok(Reports.every((V) => V.kind === 'report' && typeof V.message === 'string'));
    assert.ok(
      Reports.some((V) => V.message === `linking livepatch_itest.ko against /usr/src/linux-headers-${RELEASE}`),
      JSON.stringify(Reports),
    );
  });

  it('is cancelled from its progress notification', async function () {
    const Ko = path.join(OutDir, 'livepatch_cancelled.ko');
    S.trackProgress('itest-cancel');
    const Pending = S.request('workspace/executeCommand', {
      command: 'klp.buildModule',
      arguments: [{ output: Ko, name: 'livepatch_cancelled' }],
      workDoneToken: 'itest-cancel',
    });
    await S.waitFor('a build progress report', BUILD_MS, () =>
      S.progress('itest-cancel').find((V) => V.kind === 'report'),
    );
    await S.notify('window/workDoneProgress/cancel', { token: 'itest-cancel' });
    await assert.rejects(Pending, (E: Error & { code?: number }) => {
      assert.equal(E.code, -32800); // RequestCancelled
      return true;
    });
    const P = S.progress('itest-cancel');
    assert.deepEqual(P[P.length - 1], { kind: 'end', message: 'cancelled' });
    assert.equal(fs.existsSync(Ko), false);
  });

  it('passes the target kernel setting to the build', async function () {
    await S.notify('workspace/didChangeConfiguration', {
      settings: { 'klp-lsp': configurationPayload({ targetKernel: '9.9.9-none' }) },
    });
    await assert.rejects(
      S.request('workspace/executeCommand', { command: 'klp.buildModule', arguments: [] }),
      (E: Error & { code?: number }) => {
        assert.equal(E.code, -32803); // RequestFailed
        assert.equal(
          E.message,
          'target kernel 9.9.9-none: /usr/src/linux-headers-9.9.9-none/Module.symvers does not ' +
            'exist (install linux-headers-9.9.9-none)',
        );
        return true;
      },
    );
    await S.notify('workspace/didChangeConfiguration', {
      settings: { 'klp-lsp': configurationPayload({ targetKernel: RELEASE }) },
    });
  });

  it('reports an unsafe edit as unsafe', async function () {
    const Rel = 'kernel/acct.c';
    const Text = fs.readFileSync(path.join(TREE, Rel), 'utf8');
    const Lines = Text.split('\n');
    assert.equal(Lines[114], '};');
    let After = S.lastSeq();
    await S.notify('textDocument/didOpen', {
      textDocument: { uri: uriOf(Rel), languageId: 'c', version: 1, text: Text },
    });
    await S.notice(VERDICT_NOTIFICATION, WAIT_MS, After);
    After = S.lastSeq();
    await S.notify('textDocument/didChange', {
      textDocument: { uri: uriOf(Rel), version: 2 },
      contentChanges: [
        {
          range: { start: { line: 114, character: 0 }, end: { line: 114, character: 0 } },
          text: '\tunsigned long\t\tdropped;\n',
        },
      ],
    });
    const R = reportOf((await S.notice(VERDICT_NOTIFICATION, WAIT_MS, After)).params);
    assert.equal(R.verdict, 'unsafe');
    assert.deepEqual(R.changedFiles, ['fs/proc/cmdline.c', Rel]);
    assert.deepEqual(
      R.findings
        .filter((F) => F.severity === 'error')
        .map((F) => `${F.rule} ${F.file} ${F.range.start.line}:${F.range.start.character}`),
      ['struct-layout-change kernel/acct.c 114:16'],
    );
    const V = statusView({ kind: 'checked', report: R });
    assert.equal(V.text, '$(error) klp: unsafe');
    assert.equal(V.background, 'statusBarItem.errorBackground');
  });

  it('answers klp.targetStatus for this machine (targetRoot unset: /)', async function () {
    const T = parseTargetStatus(
      await S.request('workspace/executeCommand', { command: 'klp.targetStatus', arguments: [] }),
    );
    assert.equal(T.root, '/');
    assert.equal(T.release, fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    assert.equal(T.taintValue, Number(fs.readFileSync('/proc/sys/kernel/tainted', 'utf8').trim()));
    assert.equal(T.exitCode, T.reasons.length ? 1 : 0);
    assert.ok(T.text.startsWith(`kernel ${T.release} (root /)\n`), T.text.slice(0, 200));
    assert.ok(targetSummary(T).startsWith(`Target ${T.release}: ${T.exitCode ? 'not ready' : 'ready'}`));
  });

  it('shuts down cleanly', async function () {
    assert.equal(await S.request('shutdown', null), null);
    await S.notify('exit', null);
    assert.equal(await S.exited(10_000), 0);
    // Only the build without a token of its own asked for one.
    assert.deepEqual(S.serverRequests, ['window/workDoneProgress/create']);
  });
});
