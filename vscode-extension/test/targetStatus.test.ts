import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTargetStatus, targetSummary } from '../src/targetStatus';
import { readJson, REPO } from './data';

// klp.targetStatus answers `klp-lsp status --format json` plus "text": the CLI's golden files.
const STATUS_DATA = path.join(REPO, 'tests/data/status');

function answer(Case: string, Root = '/'): unknown {
  const Json = readJson(path.join(STATUS_DATA, `${Case}.json`)) as Record<string, unknown>;
  const Text = fs.readFileSync(path.join(STATUS_DATA, `${Case}.txt`), 'utf8');
  return JSON.parse(JSON.stringify({ ...Json, text: Text }).replaceAll('@ROOT@', Root));
}

describe('klp.targetStatus answer', () => {
  it('a ready system without patches', () => {
    const T = parseTargetStatus(answer('ready-no-patches'));
    assert.deepEqual([T.release, T.exitCode, T.reasons, T.patches, T.taintValue], ['6.1.0-50-amd64', 0, [], [], 0]);
    assert.ok(T.text.length > 0);
    assert.equal(targetSummary(T), 'Target 6.1.0-50-amd64: ready; no livepatch applied; not tainted');
  });

  it('a patch enabled on a recorded root, tainted K and E', () => {
    const T = parseTargetStatus(answer('patch-enabled', '/srv/vm-root'));
    assert.deepEqual(T.patches, [{ name: 'livepatch_fix', enabled: true, transition: false, stalledTasks: 0 }]);
    assert.equal(
      targetSummary(T),
      'Target 6.1.0-50-amd64 (/srv/vm-root): ready; livepatches: livepatch_fix enabled; tainted EK',
    );
  });

  it('a stalled transition and its reason', () => {
    const T = parseTargetStatus(answer('patch-transition-stalled'));
    assert.equal(
      targetSummary(T),
      'Target 6.1.0-50-amd64: not ready: livepatch \'livepatch_fix\' is in transition to patched: ' +
        '2 tasks not yet patched; livepatches: livepatch_fix patching, 2 task(s) waiting; tainted EK',
    );
  });

  it('a disabled patch and a kernel without livepatch support', () => {
    assert.match(targetSummary(parseTargetStatus(answer('patch-disabled'))), /livepatch_fix disabled/);
    const T = parseTargetStatus(answer('no-livepatch-config'));
    assert.equal(T.exitCode, 1);
    assert.ok(T.reasons.length > 0);
    assert.ok(targetSummary(T).startsWith(`Target 6.1.0-50-amd64: not ready: ${T.reasons[0]}`));
  });

  it('names what is wrong with a bad answer', () => {
    const Good = answer('ready-no-patches') as Record<string, unknown>;
    assert.throws(() => parseTargetStatus({ ...Good, exitCode: 2 }), {
      message: 'klp.targetStatus answered with an unexpected status: exitCode 2',
    });
    assert.throws(() => parseTargetStatus({ ...Good, taint: 5 }), {
      message: 'klp.targetStatus answered with an unexpected status: no taint',
    });
  });
});
