// What the status bar item shows for the state of the last klp.checkPatch: text (with a codicon),
// tooltip and background. No vscode import: the caller turns `background` into a ThemeColor.
import type { CheckReport } from './report';

export type StatusState =
  | { kind: 'starting' }
  | { kind: 'stopped'; reason?: string }
  | { kind: 'checking' }
  | { kind: 'failed'; message: string }
  | { kind: 'checked'; report: CheckReport };

export interface StatusView {
  text: string;
  tooltip: string;
  background?: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground';
}

function counted(N: number, One: string, Many: string): string {
  return `${N} ${N === 1 ? One : Many}`;
}

// "2 errors (struct-layout-change, compile-error), 1 warning (inline-callers), 2 info".
function findingSummary(R: CheckReport): string {
  const Parts: string[] = [];
  for (const [Sev, One, Many] of [['error', 'error', 'errors'], ['warning', 'warning', 'warnings']]) {
    const Of = R.findings.filter((F) => F.severity === Sev);
    const Rules = [...new Set(Of.map((F) => F.rule))];
    Parts.push(counted(Of.length, One, Many) + (Of.length ? ` (${Rules.join(', ')})` : ''));
  }
  Parts.push(`${R.findings.filter((F) => F.severity === 'info').length} info`);
  return Parts.join(', ');
}

function checkedView(R: CheckReport): StatusView {
  const Files = R.changedFiles.length;
  const Functions = R.functions.length;
  const Facts =
    `${findingSummary(R)}\n` +
    `${counted(Functions, 'function', 'functions')} in the livepatch, ` +
    `${counted(Files, 'changed file', 'changed files')}\n` +
    'Click for the klp-lsp output.';
  if (Files === 0 && Functions === 0 && R.findings.length === 0)
    return { text: '$(pass) klp: no changes', tooltip: `No file differs from the baseline.\n${Facts}` };
  switch (R.verdict) {
    case 'safe':
      return { text: '$(pass) klp: safe', tooltip: `Safe to live patch.\n${Facts}` };
    case 'needs-care':
      return {
        text: '$(warning) klp: needs care',
        tooltip: `Can be live patched with care: read the warnings.\n${Facts}`,
        background: 'statusBarItem.warningBackground',
      };
    case 'unsafe':
      return {
        text: '$(error) klp: unsafe',
        tooltip: `Cannot be live patched as it is: fix the errors.\n${Facts}`,
        background: 'statusBarItem.errorBackground',
      };
  }
}

export function statusView(S: StatusState): StatusView {
  switch (S.kind) {
    case 'starting':
      return { text: '$(loading~spin) klp', tooltip: 'klp-lsp is starting' };
    case 'stopped':
      return {
        text: '$(circle-slash) klp: stopped',
        tooltip: `klp-lsp is not running${S.reason ? `: ${S.reason}` : ''}. Click for its output.`,
        background: 'statusBarItem.errorBackground',
      };
    case 'checking':
      return { text: '$(sync~spin) klp: checking', tooltip: 'klp-lsp is checking the patch' };
    case 'failed':
      return {
        text: '$(error) klp: check failed',
        tooltip: `The check failed: ${S.message}\nClick for the klp-lsp output.`,
        background: 'statusBarItem.errorBackground',
      };
    case 'checked':
      return checkedView(S.report);
  }
}
