// The tree view on the mocked vscode module (test/vscodeMock.ts).
import * as assert from 'node:assert/strict';
import { FunctionsView, ViewNode } from '../src/functionsView';
import { sampleReport } from './data';

describe('Livepatch Functions view', () => {
  it('shows groups, then functions that open their source', () => {
    const View = new FunctionsView();
    let Refreshed = 0;
    View.onDidChangeTreeData(() => Refreshed++);
    assert.deepEqual(View.getChildren(), []);
    View.update(sampleReport(), '/src/linux');
    assert.equal(Refreshed, 1);
    const Groups = View.getChildren();
    const Items = Groups.map((G) => View.getTreeItem(G));
    assert.deepEqual(
      Items.map((I) => [I.label, I.collapsibleState, (I.iconPath as { id: string }).id]),
      [
        ['Changed (1)', 2, 'symbol-method'],
        ['New (1)', 2, 'add'],
        ['Inline callers (1)', 2, 'references'],
        ['Line numbers only (1)', 2, 'list-ordered'],
        ['Removed (1)', 2, 'trash'],
      ],
    );
    const [Iget] = View.getChildren(Groups[0]);
    const Item = View.getTreeItem(Iget);
    assert.equal(Item.label, 'ext4_iget');
    assert.equal(Item.description, 'fs/ext4/inode.c:4720');
    assert.deepEqual(Item.command, {
      command: 'klp-lsp.openFunction',
      title: 'Open',
      arguments: [{ file: '/src/linux/fs/ext4/inode.c', line: 4719, character: 13 }],
    });
    const [Removed] = View.getChildren(Groups[4]);
    assert.equal(View.getTreeItem(Removed).command, undefined);
    assert.deepEqual(View.getChildren(Iget as ViewNode), []);
    assert.deepEqual(View.functions().map((F) => F.name), [
      'ext4_iget', 'ext4_helper', 'ext4_inode_csum_set', 'ext4_da_write_end', 'ext4_old_helper',
    ]);
  });

  it('marks a function with an error finding', () => {
    const R = sampleReport();
    R.findings.push({ ...R.findings[2], rule: 'init-code', severity: 'error' });
    const View = new FunctionsView();
    View.update(R, '/src/linux');
    const [Iget] = View.getChildren(View.getChildren()[0]);
    const Icon = View.getTreeItem(Iget).iconPath as { id: string; color: { id: string } };
    assert.deepEqual([Icon.id, Icon.color.id], ['error', 'problemsErrorIcon.foreground']);
    View.update(undefined, '/src/linux');
    assert.deepEqual(View.getChildren(), []);
  });
});
