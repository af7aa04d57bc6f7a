// The shapes the server's commands answer with (server/src/output/json_format.cpp and
// server/src/lsp/build_module_handler.cpp), and checks that turn an untyped answer into them
// with a message naming what is wrong. No vscode import: unit-tested on its own.

export type Verdict = 'safe' | 'needs-care' | 'unsafe';
export type FindingSeverity = 'error' | 'warning' | 'info';

export interface LspPosition {
  line: number; // 0-based
  character: number; // 0-based, UTF-16
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface Finding {
  rule: string;
  severity: FindingSeverity;
  file: string; // relative to the kernel tree
  range: LspRange;
  message: string;
  symbol?: string;
}

export interface FunctionChange {
  name: string;
  file: string;
  status: string; // changed, new, removed, line-shift, inline-caller (others shown as they come)
  range: LspRange;
}

// klp.checkPatch: the CLI's JSON report (schemaVersion 1) plus changedFiles.
export interface CheckReport {
  schemaVersion: number;
  verdict: Verdict;
  findings: Finding[];
  functions: FunctionChange[];
  changedFiles: string[];
}

// klp.buildModule.
export interface BuildResult {
  ko: string;
  objects: { object: string; functions: string[]; newFunctions: string[] }[];
  functions: { name: string; file: string; status: string }[];
}

const VERDICTS: readonly string[] = ['safe', 'needs-care', 'unsafe'];

function isObject(V: unknown): V is Record<string, unknown> {
  return typeof V === 'object' && V !== null && !Array.isArray(V);
}

function fail(What: string): never {
  throw new Error(`klp.checkPatch answered with an unexpected report: ${What}`);
}

function asRange(V: unknown, Where: string): LspRange {
  const ok = (P: unknown) =>
    isObject(P) && Number.isInteger(P.line) && Number.isInteger(P.character);
  if (!isObject(V) || !ok(V.start) || !ok(V.end)) fail(`${Where} has no valid range`);
  return V as unknown as LspRange;
}

export function parseCheckReport(V: unknown): CheckReport {
  if (!isObject(V)) fail('not an object');
  if (V.schemaVersion !== 1) fail(`schemaVersion ${JSON.stringify(V.schemaVersion)}, expected 1`);
  if (typeof V.verdict !== 'string' || !VERDICTS.includes(V.verdict))
    fail(`verdict ${JSON.stringify(V.verdict)}`);
  if (!Array.isArray(V.findings) || !Array.isArray(V.functions)) fail('no findings/functions');
  const findings = V.findings.map((F: unknown, I: number): Finding => {
    if (!isObject(F) || typeof F.rule !== 'string' || typeof F.file !== 'string')
      fail(`findings[${I}] has no rule or file`);
    if (F.severity !== 'error' && F.severity !== 'warning' && F.severity !== 'info')
      fail(`findings[${I}] has severity ${JSON.stringify(F.severity)}`);
    return {
      rule: F.rule,
      severity: F.severity,
      file: F.file,
      range: asRange(F.range, `findings[${I}]`),
      message: typeof F.message === 'string' ? F.message : '',
      ...(typeof F.symbol === 'string' ? { symbol: F.symbol } : {}),
    };
  });
  const functions = V.functions.map((F: unknown, I: number): FunctionChange => {
    if (!isObject(F) || typeof F.name !== 'string' || typeof F.file !== 'string')
      fail(`functions[${I}] has no name or file`);
    if (typeof F.status !== 'string') fail(`functions[${I}] has no status`);
    return { name: F.name, file: F.file, status: F.status, range: asRange(F.range, `functions[${I}]`) };
  });
  const changedFiles = Array.isArray(V.changedFiles)
    ? V.changedFiles.filter((F): F is string => typeof F === 'string')
    : [];
  return { schemaVersion: 1, verdict: V.verdict as Verdict, findings, functions, changedFiles };
}

// klp/verdict: sent by the server after each analysis when initializationOptions has
// verdictNotification (server/src/lsp/analysis_glue.cpp): the klp.checkPatch report of that
// analysis, or the error that stopped it.
export type VerdictNotice =
  | { generation: number; report: CheckReport }
  | { generation: number; error: string };

export const VERDICT_NOTIFICATION = 'klp/verdict';

export function parseVerdictNotification(V: unknown): VerdictNotice {
  if (!isObject(V) || !Number.isInteger(V.generation))
    throw new Error('klp/verdict came without a generation');
  const generation = V.generation as number;
  if (typeof V.error === 'string') return { generation, error: V.error };
  const report = parseCheckReport(V.report);
  if (V.verdict !== report.verdict)
    throw new Error(`klp/verdict says ${JSON.stringify(V.verdict)} but its report says ${report.verdict}`);
  return { generation, report };
}

export function parseBuildResult(V: unknown): BuildResult {
  if (!isObject(V) || typeof V.ko !== 'string' || V.ko === '')
    throw new Error('klp.buildModule answered without the path of the module ("ko")');
  return {
    ko: V.ko,
    objects: Array.isArray(V.objects) ? (V.objects as BuildResult['objects']) : [],
    functions: Array.isArray(V.functions) ? (V.functions as BuildResult['functions']) : [],
  };
}
