import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildRequest,
  checkCommandLine,
  configurationPayload,
  looksLikeKernelTree,
  ruleDocUrl,
  RULE_IDS,
  serverLaunch,
} from '../src/settings';
import { REPO } from './data';

const Ctx = { workspaceFolder: '/src/linux', home: '/home/dev' };

describe('settings -> server command line and options', () => {
  it('defaults: `klp-lsp serve` from PATH in the workspace folder, no options', () => {
    assert.deepEqual(serverLaunch({}, Ctx), {
      command: 'klp-lsp',
      args: ['serve'],
      env: {},
      settings: { verdictNotification: true },
      treeRoot: '/src/linux',
      problems: [],
    });
  });

  it('maps every setting', () => {
    const L = serverLaunch(
      {
        serverPath: '~/bin/klp-lsp',
        serverArgs: ['--cache-dir', '/var/tmp/klp'],
        debounceMs: 0,
        kernelTree: '../linux-6.1',
        baseline: 'git:v6.1',
        targetRelease: '6.1.0-50-amd64',
        targetSymbols: '${workspaceFolder}/../kallsyms',
        targetRoot: '~/vm-root',
        severity: { 'header-fanout': 'off', 'inline-callers': 'error' },
      },
      Ctx,
    );
    assert.deepEqual(L, {
      command: '/home/dev/bin/klp-lsp',
      args: ['serve', '--cache-dir', '/var/tmp/klp'],
      env: { KLP_TARGET_SYMBOLS: '/src/kallsyms' },
      settings: {
        kernelTree: '/src/linux-6.1',
        baseline: 'git:v6.1',
        debounceMs: 0,
        severity: { 'header-fanout': 'off', 'inline-callers': 'error' },
        targetKernel: '6.1.0-50-amd64',
        verdictNotification: true,
        targetRoot: '/home/dev/vm-root',
      },
      treeRoot: '/src/linux-6.1',
      problems: [],
    });
  });

  it('a relative server path is taken from the workspace folder', () => {
    assert.equal(serverLaunch({ serverPath: 'build/server/klp-lsp' }, Ctx).command,
                 '/src/linux/build/server/klp-lsp');
  });

  it('baseline: disk, git:REV and absolute directories pass; others are refused', () => {
    const B = (baseline: string) => serverLaunch({ baseline }, Ctx);
    assert.equal(B('disk').settings.baseline, 'disk');
    assert.equal(B('git:HEAD~1').settings.baseline, 'git:HEAD~1');
    assert.equal(B('/srv/pristine/').settings.baseline, '/srv/pristine/');
    assert.equal(B('~/pristine').settings.baseline, '/home/dev/pristine');
    assert.equal(B('  ').settings.baseline, undefined);
    const Bad = B('HEAD');
    assert.equal(Bad.settings.baseline, undefined);
    assert.deepEqual(Bad.problems, [
      `klp-lsp.baseline 'HEAD' is not "git:REV", "disk" or an absolute directory`,
    ]);
  });

  it('wrong types and unknown rules are reported and left out', () => {
    const L = serverLaunch(
      {
        serverArgs: ['--x', 3],
        debounceMs: -5,
        severity: { 'no-such-rule': 'off', 'data-change': 'fatal', 'init-code': 'warning' },
      },
      Ctx,
    );
    assert.deepEqual(L.args, ['serve', '--x']);
    assert.deepEqual(L.settings, { severity: { 'init-code': 'warning' }, verdictNotification: true });
    assert.deepEqual(L.problems, [
      'klp-lsp.server.args: 3 is not a string',
      'klp-lsp.server.debounceMs must be a non-negative integer',
      "klp-lsp.severity: unknown rule 'no-such-rule'",
      "klp-lsp.severity: 'data-change' must be error, warning, info or off",
    ]);
    assert.deepEqual(serverLaunch({ serverArgs: '--x', severity: [] }, Ctx).problems, [
      'klp-lsp.server.args must be an array of strings',
      'klp-lsp.severity must be an object {"rule-id": "error" | "warning" | "info" | "off"}',
    ]);
  });

  it('didChangeConfiguration sends removed settings as their defaults', () => {
    assert.deepEqual(configurationPayload({}), {
      baseline: '',
      debounceMs: 150,
      severity: {},
      targetKernel: '',
      targetRoot: '',
    });
    assert.deepEqual(
      configurationPayload({
        baseline: 'disk',
        debounceMs: 20,
        severity: { 'init-code': 'off' },
        targetKernel: 'r',
        targetRoot: '/mnt/vm',
      }),
      { baseline: 'disk', debounceMs: 20, severity: { 'init-code': 'off' }, targetKernel: 'r', targetRoot: '/mnt/vm' },
    );
  });

  it('a klp-lsp check task runs the text format on the patch', () => {
    assert.deepEqual(checkCommandLine(serverLaunch({}, Ctx), '/tmp/fix.diff'), [
      'klp-lsp', 'check', '--kernel', '/src/linux', '--format', 'text', '/tmp/fix.diff',
    ]);
  });
});

describe('settings -> klp.buildModule argument', () => {
  const Root = '/src/linux';
  it('nothing set: the server picks name and place', () => {
    assert.deepEqual(buildRequest({}, Ctx, Root), {});
  });
  it('name only', () => {
    assert.deepEqual(buildRequest({ buildModuleName: 'livepatch_fix' }, Ctx, Root), {
      argument: { name: 'livepatch_fix' },
    });
  });
  it('name and directory: the output path', () => {
    assert.deepEqual(
      buildRequest({ buildModuleName: 'lp', buildOutputDirectory: '~/modules' }, Ctx, Root),
      { argument: { name: 'lp', output: '/home/dev/modules/lp.ko' } },
    );
  });
  it('directory only: copy the module the server names there', () => {
    assert.deepEqual(buildRequest({ buildOutputDirectory: '/out' }, Ctx, Root), { copyTo: '/out' });
  });
  it('refuses a directory inside the tree and a bad name', () => {
    assert.deepEqual(buildRequest({ buildOutputDirectory: 'out' }, Ctx, Root), {
      error: "klp-lsp.build.outputDirectory '/src/linux/out' is inside the kernel tree, which is never written",
    });
    assert.deepEqual(buildRequest({ buildOutputDirectory: '/src/linux' }, Ctx, Root).error?.includes('inside'), true);
    assert.deepEqual(buildRequest({ buildOutputDirectory: '/src/linux-out' }, Ctx, Root), {
      copyTo: '/src/linux-out',
    });
    assert.deepEqual(buildRequest({ buildModuleName: 'live-patch' }, Ctx, Root), {
      error: "klp-lsp.build.moduleName 'live-patch' is not a module name (letters, digits, '_')",
    });
  });
});

describe('kernel tree detection and rules', () => {
  it('looks for Kbuild, Makefile and MAINTAINERS or Kconfig', () => {
    assert.equal(looksLikeKernelTree(['Kbuild', 'Makefile', 'MAINTAINERS', 'kernel']), true);
    assert.equal(looksLikeKernelTree(['Kbuild', 'Makefile', 'Kconfig']), true);
    assert.equal(looksLikeKernelTree(['Makefile', 'MAINTAINERS']), false);
    assert.equal(looksLikeKernelTree(['Kbuild', 'MAINTAINERS']), false);
  });

  it('knows exactly the rules documented in docs/rules', () => {
    const Documented = fs
      .readdirSync(path.join(REPO, 'docs/rules'))
      .filter((F) => F.endsWith('.md') && F !== 'README.md')
      .map((F) => F.slice(0, -3))
      .sort();
    assert.deepEqual([...RULE_IDS].sort(), Documented);
  });

  it('links a rule to its page', () => {
    assert.equal(ruleDocUrl('init-code'),
                 'https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/init-code.md');
  });
});
