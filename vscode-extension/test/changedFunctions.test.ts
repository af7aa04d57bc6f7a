import * as assert from 'node:assert/strict';
import { changedFunctionGroups } from '../src/changedFunctions';
import { sampleReport } from './data';

describe('changed functions tree model', () => {
  const Root = '/src/linux';

  it('groups the sample report by status, in display order, with jump targets', () => {
    const Groups = changedFunctionGroups(sampleReport(), Root);
    assert.deepEqual(
      Groups.map((G) => [G.status, G.label, G.functions.map((F) => F.name)]),
      [
        ['changed', 'Changed (1)', ['ext4_iget']],
        ['new', 'New (1)', ['ext4_helper']],
        ['inline-caller', 'Inline callers (1)', ['ext4_inode_csum_set']],
        ['line-shift', 'Line numbers only (1)', ['ext4_da_write_end']],
        ['removed', 'Removed (1)', ['ext4_old_helper']],
      ],
    );
    const Iget = Groups[0].functions[0];
    assert.deepEqual(Iget.location, { file: '/src/linux/fs/ext4/inode.c', line: 4719, character: 13 });
    assert.equal(Iget.description, 'fs/ext4/inode.c:4720');
    assert.deepEqual(Iget.findings.map((F) => F.rule), ['changed-function']);
    assert.equal(
      Iget.tooltip,
      'ext4_iget: Replaced by the livepatch\n' +
        'info: ext4_iget changes; it goes into the livepatch [changed-function]',
    );
    const Removed = Groups[4].functions[0];
    assert.equal(Removed.location, undefined, 'a removed function has nothing to jump to');
    assert.equal(Removed.description, 'fs/ext4/inode.c:4811');
  });

  it('sorts by file, line, name; unknown statuses come last; empty groups are left out', () => {
    const R = sampleReport();
    const At = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 1 } });
    R.functions = [
      { name: 'b', file: 'kernel/b.c', status: 'changed', range: At(5) },
      { name: 'a2', file: 'kernel/a.c', status: 'changed', range: At(9) },
      { name: 'a1', file: 'kernel/a.c', status: 'changed', range: At(3) },
      { name: 'z', file: 'kernel/a.c', status: 'changed', range: At(3) },
      { name: 'x', file: 'kernel/x.c', status: 'zeta-status', range: At(1) },
      { name: 'y', file: 'kernel/y.c', status: 'alpha-status', range: At(1) },
    ];
    const Groups = changedFunctionGroups(R, Root);
    assert.deepEqual(
      Groups.map((G) => [G.label, G.functions.map((F) => F.name)]),
      [
        ['Changed (4)', ['a1', 'z', 'a2', 'b']],
        ['alpha-status (1)', ['y']],
        ['zeta-status (1)', ['x']],
      ],
    );
    assert.equal(Groups[1].functions[0].tooltip, 'y: alpha-status');
  });

  it('an empty report has no groups', () => {
    assert.deepEqual(changedFunctionGroups({ ...sampleReport(), functions: [] }, Root), []);
  });
});
