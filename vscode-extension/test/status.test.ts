import * as assert from 'node:assert/strict';
import { statusView } from '../src/status';
import { sampleReport, withVerdict } from './data';

describe('status bar: verdict -> text, tooltip, colour', () => {
  const Sample = sampleReport();
  const Facts = (Findings: string) =>
    `${Findings}\n5 functions in the livepatch, 3 changed files\nClick for the klp-lsp output.`;

  it('unsafe names the error and warning rules', () => {
    assert.deepEqual(statusView({ kind: 'checked', report: Sample }), {
      text: '$(error) klp: unsafe',
      tooltip:
        'Cannot be live patched as it is: fix the errors.\n' +
        Facts('2 errors (struct-layout-change, compile-error), 1 warning (inline-callers), 2 info'),
      background: 'statusBarItem.errorBackground',
    });
  });

  it('needs-care', () => {
    const R = withVerdict(Sample, 'needs-care', ['inline-callers', 'changed-function']);
    assert.deepEqual(statusView({ kind: 'checked', report: R }), {
      text: '$(warning) klp: needs care',
      tooltip:
        'Can be live patched with care: read the warnings.\n' +
        Facts('0 errors, 1 warning (inline-callers), 1 info'),
      background: 'statusBarItem.warningBackground',
    });
  });

  it('safe has no background', () => {
    const R = withVerdict(Sample, 'safe', ['changed-function']);
    assert.deepEqual(statusView({ kind: 'checked', report: R }), {
      text: '$(pass) klp: safe',
      tooltip: 'Safe to live patch.\n' + Facts('0 errors, 0 warnings, 1 info'),
    });
  });

  it('a safe report without changes says so', () => {
    const R = { ...withVerdict(Sample, 'safe', []), functions: [], changedFiles: [] };
    assert.deepEqual(statusView({ kind: 'checked', report: R }), {
      text: '$(pass) klp: no changes',
      tooltip:
        'No file differs from the baseline.\n0 errors, 0 warnings, 0 info\n' +
        '0 functions in the livepatch, 0 changed files\nClick for the klp-lsp output.',
    });
  });

  it('singular counts', () => {
    const R = {
      ...withVerdict(Sample, 'unsafe', ['compile-error']),
      functions: Sample.functions.slice(0, 1),
      changedFiles: ['fs/ext4/super.c'],
    };
    assert.equal(
      statusView({ kind: 'checked', report: R }).tooltip,
      'Cannot be live patched as it is: fix the errors.\n1 error (compile-error), 0 warnings, 0 info\n' +
        '1 function in the livepatch, 1 changed file\nClick for the klp-lsp output.',
    );
  });

  it('server states', () => {
    assert.deepEqual(statusView({ kind: 'starting' }), {
      text: '$(loading~spin) klp',
      tooltip: 'klp-lsp is starting',
    });
    assert.deepEqual(statusView({ kind: 'checking' }), {
      text: '$(sync~spin) klp: checking',
      tooltip: 'klp-lsp is checking the patch',
    });
    assert.deepEqual(statusView({ kind: 'stopped', reason: 'spawn klp-lsp ENOENT' }), {
      text: '$(circle-slash) klp: stopped',
      tooltip: 'klp-lsp is not running: spawn klp-lsp ENOENT. Click for its output.',
      background: 'statusBarItem.errorBackground',
    });
    assert.deepEqual(statusView({ kind: 'failed', message: 'no kernel tree' }), {
      text: '$(error) klp: check failed',
      tooltip: 'The check failed: no kernel tree\nClick for the klp-lsp output.',
      background: 'statusBarItem.errorBackground',
    });
  });
});
