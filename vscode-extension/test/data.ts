// Inputs the tests share: the repository's golden outputs of the real formatters, so the
// extension is tested against what `klp-lsp check` and klp.checkPatch really print.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckReport, parseCheckReport } from '../src/report';

// out/test/ -> vscode-extension/ -> repository root
export const EXTENSION_DIR = path.resolve(__dirname, '../..');
export const REPO = path.resolve(EXTENSION_DIR, '..');
export const OUTPUT_DATA = path.join(REPO, 'tests/data/output');

export function readJson(File: string): unknown {
  return JSON.parse(fs.readFileSync(File, 'utf8'));
}

// tests/data/output/sample.json (the CLI's JSON report) plus the changedFiles the server adds.
export function sampleReport(): CheckReport {
  const Raw = readJson(path.join(OUTPUT_DATA, 'sample.json')) as Record<string, unknown>;
  return parseCheckReport({
    ...Raw,
    changedFiles: ['fs/ext4/ext4.h', 'fs/ext4/inode.c', 'fs/ext4/super.c'],
  });
}

export function withVerdict(R: CheckReport, Verdict: CheckReport['verdict'], Keep: string[]): CheckReport {
  return { ...R, verdict: Verdict, findings: R.findings.filter((F) => Keep.includes(F.rule)) };
}
