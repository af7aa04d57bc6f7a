// klp.targetStatus (docs/status.md's JSON plus "text"): the parts the extension shows, and the
// status bar tooltip line and notification message made from them. No vscode import.

export interface TargetPatch {
  name: string;
  enabled: boolean;
  transition: boolean;
  stalledTasks: number;
}

export interface TargetStatus {
  root: string;
  release: string;
  exitCode: number; // 0: ready and settled, 1: not (see reasons)
  reasons: string[];
  patches: TargetPatch[];
  taintValue: number;
  taintLetters: string; // set known flags' letters, in bit order ("EK")
  text: string; // `klp-lsp status` text
}

function isObject(V: unknown): V is Record<string, unknown> {
  return typeof V === 'object' && V !== null && !Array.isArray(V);
}

function fail(What: string): never {
  throw new Error(`klp.targetStatus answered with an unexpected status: ${What}`);
}

export function parseTargetStatus(V: unknown): TargetStatus {
  if (!isObject(V)) fail('not an object');
  if (typeof V.root !== 'string' || typeof V.release !== 'string') fail('no root or release');
  if (V.exitCode !== 0 && V.exitCode !== 1) fail(`exitCode ${JSON.stringify(V.exitCode)}`);
  if (!Array.isArray(V.reasons) || !V.reasons.every((R) => typeof R === 'string')) fail('no reasons');
  if (!Array.isArray(V.patches)) fail('no patches');
  const patches = V.patches.map((P: unknown, I: number): TargetPatch => {
    if (!isObject(P) || typeof P.name !== 'string') fail(`patches[${I}] has no name`);
    return {
      name: P.name,
      enabled: P.enabled === true,
      transition: P.transition === true,
      stalledTasks: Array.isArray(P.stalledTasks) ? P.stalledTasks.length : 0,
    };
  });
  const Taint = V.taint;
  if (!isObject(Taint) || !Number.isInteger(Taint.value) || !Array.isArray(Taint.flags)) fail('no taint');
  const taintLetters = Taint.flags
    .filter((F): F is Record<string, unknown> => isObject(F) && F.known === true)
    .map((F) => (typeof F.letter === 'string' ? F.letter : ''))
    .join('');
  return {
    root: V.root,
    release: V.release,
    exitCode: V.exitCode,
    reasons: V.reasons as string[],
    patches,
    taintValue: Taint.value as number,
    taintLetters,
    text: typeof V.text === 'string' ? V.text : '',
  };
}

function patchState(P: TargetPatch): string {
  if (P.transition)
    return `${P.enabled ? 'patching' : 'unpatching'}, ${P.stalledTasks} task(s) waiting`;
  return P.enabled ? 'enabled' : 'disabled';
}

// One line for the status bar tooltip:
// "Target 6.1.0-50-amd64 (/): ready; livepatches: livepatch_fix enabled; tainted EK".
export function targetSummary(T: TargetStatus): string {
  const Where = `Target ${T.release}${T.root === '/' ? '' : ` (${T.root})`}`;
  const State = T.exitCode === 0 ? 'ready' : `not ready: ${T.reasons.join('; ')}`;
  const Patches = T.patches.length
    ? `livepatches: ${T.patches.map((P) => `${P.name} ${patchState(P)}`).join(', ')}`
    : 'no livepatch applied';
  const Taint = T.taintValue === 0 ? 'not tainted' : `tainted ${T.taintLetters || T.taintValue}`;
  return `${Where}: ${State}; ${Patches}; ${Taint}`;
}
