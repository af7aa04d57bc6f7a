// VS Code settings (section "klp-lsp") -> how the server is started and what it is told:
// command line, environment, initializationOptions / didChangeConfiguration settings (the keys
// server/src/lsp/lifecycle_handlers.cpp accepts), and the klp.buildModule arguments.
// No vscode import: extension.ts reads the configuration into RawSettings.
import * as path from 'node:path';

export const SECTION = 'klp-lsp';

// Rule ids of the server's registry (kbuild-integration/src/rules.cpp, docs/rules/<id>.md).
export const RULE_IDS: readonly string[] = [
  'always-on-stack', 'assembly-file', 'changed-function', 'compile-error', 'data-change',
  'header-fanout', 'init-code', 'inline-callers', 'jump-label', 'line-macro-shift', 'new-data',
  'new-function', 'no-fentry', 'no-functional-change', 'not-built', 'once-macro', 'removed-data',
  'removed-function', 'signature-change', 'static-local-removed', 'static-local',
  'struct-layout-change', 'symbol-version-change', 'syscall-wrapper',
];

export function ruleDocUrl(Rule: string): string {
  return `https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/${Rule}.md`;
}

// The settings as read from the configuration; any value may be missing or of a wrong type
// (settings.json is hand-written), so every field is unknown until checked.
export interface RawSettings {
  serverPath?: unknown;
  serverArgs?: unknown;
  debounceMs?: unknown;
  kernelTree?: unknown;
  baseline?: unknown;
  targetRelease?: unknown;
  targetSymbols?: unknown;
  targetRoot?: unknown;
  buildOutputDirectory?: unknown;
  buildModuleName?: unknown;
  severity?: unknown;
}

// The configuration keys of each RawSettings field (package.json "contributes.configuration").
export const SETTING_KEYS: Readonly<Record<keyof RawSettings, string>> = {
  serverPath: 'server.path',
  serverArgs: 'server.args',
  debounceMs: 'server.debounceMs',
  kernelTree: 'kernelTree',
  baseline: 'baseline',
  targetRelease: 'target.release',
  targetSymbols: 'target.symbols',
  targetRoot: 'target.root',
  buildOutputDirectory: 'build.outputDirectory',
  buildModuleName: 'build.moduleName',
  severity: 'severity',
};

// What the server is told: initializationOptions and, later, didChangeConfiguration settings.
export interface ServerSettings {
  kernelTree?: string;
  baseline?: string;
  debounceMs?: number;
  severity?: Record<string, string>;
  targetKernel?: string; // release klp.buildModule links against (/usr/src/linux-headers-<it>)
  verdictNotification?: boolean; // klp/verdict after each analysis (always asked for)
  targetRoot?: string; // the system klp.targetStatus reads (server default "/")
}

export interface ServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>; // added to the extension host's environment
  settings: ServerSettings;
  treeRoot: string; // absolute: where the files the server reports are relative to
  problems: string[]; // settings that were ignored, each with the reason
}

export interface Context {
  workspaceFolder: string; // absolute
  home: string;
}

function str(V: unknown): string {
  return typeof V === 'string' ? V.trim() : '';
}

// `~` and `${workspaceFolder}` expanded; relative paths taken from the workspace folder.
export function expandPath(P: string, C: Context): string {
  let R = P.replace(/\$\{workspaceFolder\}/g, C.workspaceFolder);
  if (R === '~' || R.startsWith('~/')) R = C.home + R.slice(1);
  return path.isAbsolute(R) ? path.normalize(R) : path.resolve(C.workspaceFolder, R);
}

// A command name without a slash is looked up in PATH; anything else is a path.
function commandOf(V: unknown, C: Context): string {
  const P = str(V) || 'klp-lsp';
  return P.includes('/') || P.startsWith('~') ? expandPath(P, C) : P;
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];

function severityOf(V: unknown, Problems: string[]): Record<string, string> | undefined {
  if (V === undefined || V === null) return undefined;
  if (typeof V !== 'object' || Array.isArray(V)) {
    Problems.push('klp-lsp.severity must be an object {"rule-id": "error" | "warning" | "info" | "off"}');
    return undefined;
  }
  const Out: Record<string, string> = {};
  for (const [Rule, Sev] of Object.entries(V as Record<string, unknown>)) {
    if (!RULE_IDS.includes(Rule)) Problems.push(`klp-lsp.severity: unknown rule '${Rule}'`);
    else if (typeof Sev !== 'string' || !SEVERITIES.includes(Sev))
      Problems.push(`klp-lsp.severity: '${Rule}' must be error, warning, info or off`);
    else Out[Rule] = Sev;
  }
  return Out;
}

// The server rejects anything but "", "disk", "git:REV" and an absolute directory.
function baselineOf(V: unknown, C: Context, Problems: string[]): string | undefined {
  const B = str(V);
  if (!B) return undefined;
  if (B === 'disk' || B.startsWith('git:')) return B;
  if (B.startsWith('/') || B.startsWith('~') || B.startsWith('${workspaceFolder}'))
    return expandPath(B, C);
  Problems.push(`klp-lsp.baseline '${B}' is not "git:REV", "disk" or an absolute directory`);
  return undefined;
}

export function serverLaunch(S: RawSettings, C: Context): ServerLaunch {
  const Problems: string[] = [];
  const Args = ['serve'];
  if (Array.isArray(S.serverArgs)) {
    for (const A of S.serverArgs) {
      if (typeof A === 'string') Args.push(A);
      else Problems.push(`klp-lsp.server.args: ${JSON.stringify(A)} is not a string`);
    }
  } else if (S.serverArgs !== undefined && S.serverArgs !== null) {
    Problems.push('klp-lsp.server.args must be an array of strings');
  }
  const Settings: ServerSettings = {};
  const Tree = str(S.kernelTree);
  const TreeRoot = Tree ? expandPath(Tree, C) : path.normalize(C.workspaceFolder);
  if (Tree) Settings.kernelTree = TreeRoot;
  const Baseline = baselineOf(S.baseline, C, Problems);
  if (Baseline) Settings.baseline = Baseline;
  if (S.debounceMs !== undefined && S.debounceMs !== null) {
    if (Number.isInteger(S.debounceMs) && (S.debounceMs as number) >= 0)
      Settings.debounceMs = S.debounceMs as number;
    else Problems.push('klp-lsp.server.debounceMs must be a non-negative integer');
  }
  const Severity = severityOf(S.severity, Problems);
  if (Severity) Settings.severity = Severity;
  const Release = str(S.targetRelease);
  if (Release) Settings.targetKernel = Release;
  const TargetRoot = str(S.targetRoot);
  if (TargetRoot) Settings.targetRoot = expandPath(TargetRoot, C);
  const Env: Record<string, string> = {};
  const Symbols = str(S.targetSymbols);
  if (Symbols) Env.KLP_TARGET_SYMBOLS = expandPath(Symbols, C);
  Settings.verdictNotification = true;
  return {
    command: commandOf(S.serverPath, C),
    args: Args,
    env: Env,
    settings: Settings,
    treeRoot: TreeRoot,
    problems: Problems,
  };
}

// Settings whose change needs a new server process (the rest go by didChangeConfiguration):
// the command line, the environment, and the tree (the document selector and cwd depend on it).
export const RESTART_KEYS: readonly string[] = [
  'server.path', 'server.args', 'target.symbols', 'kernelTree',
];

const SERVER_DEBOUNCE_MS = 150; // klp-lsp serve's default (server/src/cli/serve_command.cpp)

// The didChangeConfiguration settings: the server only changes the keys it is sent, so a
// setting the user removed is sent as its default to undo an earlier value.
export function configurationPayload(S: ServerSettings): ServerSettings {
  return {
    baseline: S.baseline ?? '',
    debounceMs: S.debounceMs ?? SERVER_DEBOUNCE_MS,
    severity: S.severity ?? {},
    targetKernel: S.targetKernel ?? '',
    targetRoot: S.targetRoot ?? '',
  };
}

export interface BuildRequest {
  argument?: { output?: string; name?: string }; // klp.buildModule's one argument
  copyTo?: string; // directory the .ko is copied to when only the directory was set
  error?: string;
}

function inside(Child: string, Parent: string): boolean {
  const Rel = path.relative(Parent, Child);
  return Rel === '' || (!Rel.startsWith('..') && !path.isAbsolute(Rel));
}

// The module name and output setting -> the klp.buildModule argument. With a directory but no
// name the server picks the name (livepatch_<first changed file>), so the extension copies the
// module it names instead of guessing that name.
export function buildRequest(S: RawSettings, C: Context, TreeRoot: string): BuildRequest {
  const Name = str(S.buildModuleName);
  if (Name && !/^[A-Za-z0-9_]+$/.test(Name))
    return { error: `klp-lsp.build.moduleName '${Name}' is not a module name (letters, digits, '_')` };
  const Dir = str(S.buildOutputDirectory);
  const OutDir = Dir ? expandPath(Dir, C) : '';
  if (OutDir && inside(OutDir, TreeRoot))
    return {
      error: `klp-lsp.build.outputDirectory '${OutDir}' is inside the kernel tree, which is never written`,
    };
  const Arg: { output?: string; name?: string } = {};
  if (Name) Arg.name = Name;
  if (OutDir && Name) Arg.output = path.join(OutDir, `${Name}.ko`);
  const R: BuildRequest = {};
  if (Object.keys(Arg).length) R.argument = Arg;
  if (OutDir && !Name) R.copyTo = OutDir;
  return R;
}

// Entries of a folder that make it look like the top of a Linux kernel tree.
export function looksLikeKernelTree(Entries: readonly string[]): boolean {
  const Has = (N: string) => Entries.includes(N);
  return Has('Kbuild') && Has('Makefile') && (Has('MAINTAINERS') || Has('Kconfig'));
}

// The command line of `klp-lsp check` for a patch file, as a task runs it (text output, which
// the "$klp-lsp" problem matcher reads).
export function checkCommandLine(L: ServerLaunch, PatchFile: string): string[] {
  return [L.command, 'check', '--kernel', L.treeRoot, '--format', 'text', PatchFile];
}
