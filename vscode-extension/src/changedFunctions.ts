// The model of the "Livepatch Functions" tree view: the functions of the last klp.checkPatch
// grouped by what happens to them in the livepatch, each with the place to jump to and the
// findings about it. No vscode import: src/functionsView.ts turns it into TreeItems.
import * as path from 'node:path';
import type { CheckReport, Finding, FunctionChange } from './report';

export interface SourceLocation {
  file: string; // absolute
  line: number; // 0-based
  character: number; // 0-based
}

export interface FunctionNode {
  name: string;
  status: string;
  description: string; // "kernel/acct.c:193"
  tooltip: string;
  // Where the function is in the working tree; none for a removed function (its range is in
  // the original file, which the editor does not show).
  location?: SourceLocation;
  findings: Finding[]; // findings whose symbol is this function, in the report's order
}

export interface StatusGroup {
  status: string;
  label: string;
  tooltip: string;
  functions: FunctionNode[];
}

// Display order and wording of the statuses the server reports (FunctionChange::Status).
const GROUPS: readonly { status: string; label: string; tooltip: string }[] = [
  { status: 'changed', label: 'Changed', tooltip: 'Replaced by the livepatch' },
  { status: 'new', label: 'New', tooltip: 'Only in the patched code; lives in the livepatch module' },
  {
    status: 'inline-caller',
    label: 'Inline callers',
    tooltip: 'Unchanged, but a changed inline callee is compiled into them: patched too',
  },
  {
    status: 'line-shift',
    label: 'Line numbers only',
    tooltip: 'Differ only in __LINE__ constants: not patched',
  },
  { status: 'removed', label: 'Removed', tooltip: 'Deleted by the patch; the original stays loaded' },
];

function nodeOf(F: FunctionChange, Findings: Finding[], TreeRoot: string): FunctionNode {
  const Line = F.range.start.line + 1;
  const Mine = Findings.filter((X) => X.symbol === F.name && X.file === F.file);
  const Group = GROUPS.find((G) => G.status === F.status);
  const Lines = [`${F.name}: ${Group ? Group.tooltip : F.status}`];
  for (const X of Mine) Lines.push(`${X.severity}: ${X.message} [${X.rule}]`);
  const Node: FunctionNode = {
    name: F.name,
    status: F.status,
    description: `${F.file}:${Line}`,
    tooltip: Lines.join('\n'),
    findings: Mine,
  };
  if (F.status !== 'removed')
    Node.location = {
      file: path.resolve(TreeRoot, F.file),
      line: F.range.start.line,
      character: F.range.start.character,
    };
  return Node;
}

// Groups in display order (unknown statuses after the known ones, by name); empty groups are
// left out; functions by file, then line, then name.
export function changedFunctionGroups(R: CheckReport, TreeRoot: string): StatusGroup[] {
  const ByStatus = new Map<string, FunctionChange[]>();
  for (const F of R.functions) {
    const List = ByStatus.get(F.status) ?? [];
    List.push(F);
    ByStatus.set(F.status, List);
  }
  const Unknown = [...ByStatus.keys()]
    .filter((S) => !GROUPS.some((G) => G.status === S))
    .sort()
    .map((S) => ({ status: S, label: S, tooltip: `Status "${S}"` }));
  const Groups: StatusGroup[] = [];
  for (const G of [...GROUPS, ...Unknown]) {
    const List = ByStatus.get(G.status);
    if (!List) continue;
    const Sorted = [...List].sort(
      (A, B) =>
        A.file.localeCompare(B.file) ||
        A.range.start.line - B.range.start.line ||
        A.name.localeCompare(B.name),
    );
    Groups.push({
      status: G.status,
      label: `${G.label} (${Sorted.length})`,
      tooltip: G.tooltip,
      functions: Sorted.map((F) => nodeOf(F, R.findings, TreeRoot)),
    });
  }
  return Groups;
}
