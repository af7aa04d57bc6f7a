// The "$klp-lsp" problem matcher of package.json against the text the real formatter prints
// (tests/data/output/sample.txt is the golden output of server/src/output/text_format.cpp).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_DIR, OUTPUT_DATA, readJson } from './data';

interface Pattern {
  regexp: string;
  file: number;
  line: number;
  column: number;
  severity: number;
  message: number;
  code: number;
}

function matcher() {
  const Pkg = readJson(path.join(EXTENSION_DIR, 'package.json')) as {
    contributes: { problemMatchers: { name: string; pattern: Pattern; fileLocation: string[] }[] };
  };
  const [M] = Pkg.contributes.problemMatchers;
  return M;
}

// What VS Code takes from each line the pattern matches.
function problems(Text: string) {
  const P = matcher().pattern;
  const Re = new RegExp(P.regexp);
  return Text.split('\n').flatMap((L) => {
    const M = Re.exec(L);
    if (!M) return [];
    return [{ file: M[P.file], line: Number(M[P.line]), column: Number(M[P.column]),
              severity: M[P.severity], message: M[P.message], code: M[P.code] }];
  });
}

describe('problem matcher for `klp-lsp check` text output', () => {
  it('is named klp-lsp and resolves files from the workspace folder (the tree)', () => {
    const M = matcher();
    assert.equal(M.name, 'klp-lsp');
    assert.deepEqual(M.fileLocation, ['relative', '${workspaceFolder}']);
  });

  it('takes each finding line of sample.txt, not notes, fixes, the verdict or functions', () => {
    const Text = fs.readFileSync(path.join(OUTPUT_DATA, 'sample.txt'), 'utf8');
    assert.deepEqual(problems(Text), [
      {
        file: 'fs/ext4/ext4.h', line: 1052, column: 8, severity: 'error', code: 'struct-layout-change',
        message:
          'struct ext4_inode_info changes size (1096 -> 1104 bytes) and the offset of i_flags; ' +
          'unchanged code uses it: ext4_iget (fs/ext4/inode.c:4720), ext4_evict_inode; use a shadow variable',
      },
      {
        file: 'fs/ext4/inode.c', line: 100, column: 20, severity: 'warning', code: 'inline-callers',
        message:
          'static function "ext4_inode_csum" is likely inlined into 2 callers (line 120, lines 300-310): ' +
          'patch them\tinstead',
      },
      {
        file: 'fs/ext4/inode.c', line: 4720, column: 14, severity: 'info', code: 'changed-function',
        message: 'ext4_iget changes; it goes into the livepatch',
      },
      {
        file: 'fs/ext4/super.c', line: 120, column: 5, severity: 'error', code: 'compile-error',
        message: "patched code does not compile: use of undeclared identifier 'foo'",
      },
      {
        file: 'include/linux/fs.h', line: 1, column: 1, severity: 'info', code: 'header-fanout',
        message: 'the header change reaches 3 translation units',
      },
    ]);
  });

  it('keeps a message that itself ends in brackets whole, taking the last [rule]', () => {
    assert.deepEqual(problems('kernel/a.c:3:1: warning: uses x[2] [data-change]'), [
      { file: 'kernel/a.c', line: 3, column: 1, severity: 'warning', message: 'uses x[2]', code: 'data-change' },
    ]);
  });

  it('an empty check prints nothing it matches', () => {
    const Text = fs.readFileSync(path.join(OUTPUT_DATA, 'empty.txt'), 'utf8');
    assert.deepEqual(problems(Text), []);
  });
});
