import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseBuildResult, parseCheckReport, parseVerdictNotification } from '../src/report';
import { OUTPUT_DATA, readJson, sampleReport } from './data';

describe('klp.checkPatch / klp.buildModule answers', () => {
  it('reads the JSON report of the sample', () => {
    const R = sampleReport();
    assert.equal(R.verdict, 'unsafe');
    assert.deepEqual(R.findings.map((F) => [F.rule, F.severity, F.file, F.range.start.line, F.symbol]), [
      ['struct-layout-change', 'error', 'fs/ext4/ext4.h', 1051, 'ext4_inode_info'],
      ['inline-callers', 'warning', 'fs/ext4/inode.c', 99, 'ext4_inode_csum'],
      ['changed-function', 'info', 'fs/ext4/inode.c', 4719, 'ext4_iget'],
      ['compile-error', 'error', 'fs/ext4/super.c', 119, undefined],
      ['header-fanout', 'info', 'include/linux/fs.h', 0, undefined],
    ]);
    assert.equal(R.functions.length, 5);
    assert.deepEqual(R.changedFiles, ['fs/ext4/ext4.h', 'fs/ext4/inode.c', 'fs/ext4/super.c']);
  });

  it('reads the empty report', () => {
    const R = parseCheckReport(readJson(path.join(OUTPUT_DATA, 'empty.json')));
    assert.deepEqual([R.verdict, R.findings, R.functions, R.changedFiles], ['safe', [], [], []]);
  });

  it('names what is wrong with a bad report', () => {
    const Base = readJson(path.join(OUTPUT_DATA, 'empty.json')) as Record<string, unknown>;
    const Err = (V: unknown) => {
      try {
        parseCheckReport(V);
      } catch (E) {
        return (E as Error).message;
      }
      return 'no error';
    };
    const P = 'klp.checkPatch answered with an unexpected report: ';
    assert.equal(Err(null), `${P}not an object`);
    assert.equal(Err({ ...Base, schemaVersion: 2 }), `${P}schemaVersion 2, expected 1`);
    assert.equal(Err({ ...Base, verdict: 'maybe' }), `${P}verdict "maybe"`);
    assert.equal(
      Err({ ...Base, findings: [{ rule: 'x', file: 'a.c', severity: 'fatal' }] }),
      `${P}findings[0] has severity "fatal"`,
    );
    assert.equal(
      Err({ ...Base, functions: [{ name: 'f', file: 'a.c', status: 'changed', range: {} }] }),
      `${P}functions[0] has no valid range`,
    );
  });

  it('reads a build result and refuses one without a module path', () => {
    const B = parseBuildResult({
      ko: '/home/dev/.cache/klp-lsp/modules/livepatch_cmdline.ko',
      objects: [{ object: 'vmlinux', functions: ['cmdline_proc_show'], newFunctions: [] }],
      functions: [{ name: 'cmdline_proc_show', file: 'fs/proc/cmdline.c', status: 'changed' }],
    });
    assert.equal(B.ko, '/home/dev/.cache/klp-lsp/modules/livepatch_cmdline.ko');
    assert.deepEqual(B.objects[0].functions, ['cmdline_proc_show']);
    assert.throws(() => parseBuildResult({ output: '/x.ko' }), {
      message: 'klp.buildModule answered without the path of the module ("ko")',
    });
  });

  it('reads klp/verdict with a report or an error, and refuses a mismatched one', () => {
    const Report = readJson(path.join(OUTPUT_DATA, 'sample.json')) as Record<string, unknown>;
    const V = parseVerdictNotification({ generation: 7, verdict: 'unsafe', report: Report });
    assert.ok('report' in V);
    assert.deepEqual([V.generation, V.report.verdict, V.report.findings.length], [7, 'unsafe', 5]);
    assert.deepEqual(parseVerdictNotification({ generation: 2, verdict: null, error: 'no tree' }), {
      generation: 2,
      error: 'no tree',
    });
    assert.throws(() => parseVerdictNotification({ generation: 3, verdict: 'safe', report: Report }), {
      message: 'klp/verdict says "safe" but its report says unsafe',
    });
    assert.throws(() => parseVerdictNotification({ verdict: 'safe' }), {
      message: 'klp/verdict came without a generation',
    });
  });
});
