// The extension's commands: Check Patch, Build Livepatch Module, Show Changed Functions, Open
// Rule Documentation, Restart Server, Show Target Status, and the helpers the status bar and the
// view use.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LSPErrorCodes, WorkDoneProgress } from 'vscode-languageclient/node';
import type { SourceLocation } from './changedFunctions';
import type { KlpSession } from './extension';
import { readSettings, settingsContext } from './config';
import { COMMAND_IDS, CommandId, FUNCTIONS_VIEW } from './manifest';
import { parseBuildResult } from './report';
import { buildRequest, ruleDocUrl, RULE_IDS } from './settings';
import { targetSummary } from './targetStatus';

function running(S: KlpSession): boolean {
  if (S.client) return true;
  void vscode.window.showWarningMessage(
    'klp-lsp is not running: open a prepared kernel tree or set klp-lsp.kernelTree.',
  );
  return false;
}

async function checkPatch(S: KlpSession): Promise<void> {
  if (!running(S)) return;
  const R = await S.check();
  if (R)
    void vscode.window.showInformationMessage(
      `klp-lsp: ${R.verdict} (${R.functions.length} functions, ${R.findings.length} findings)`,
    );
}

async function openFunction(Loc: SourceLocation): Promise<void> {
  const At = new vscode.Position(Loc.line, Loc.character);
  await vscode.window.showTextDocument(vscode.Uri.file(Loc.file), {
    selection: new vscode.Range(At, At),
  });
}

async function buildModule(S: KlpSession): Promise<void> {
  const Client = S.client;
  const Ctx = settingsContext();
  if (!running(S) || !Client || !Ctx || !S.launch) return;
  const Request = buildRequest(readSettings(), Ctx, S.launch.treeRoot);
  if (Request.error) {
    void vscode.window.showErrorMessage(Request.error);
    return;
  }
  const Options = {
    location: vscode.ProgressLocation.Notification,
    title: 'klp-lsp: building the livepatch module',
    cancellable: true,
  };
  const Outcome = await vscode.window.withProgress(Options, async (Progress, Cancel) => {
    // Our own work-done token, so the server's reports land in this notification.
    const Token = randomUUID();
    const Reports = Client.onProgress(WorkDoneProgress.type, Token, (V) => {
      if (V.kind !== 'end' && V.message) Progress.report({ message: V.message });
    });
    try {
      const Raw = await Client.sendRequest(
        ExecuteCommandRequest.type,
        {
          command: 'klp.buildModule',
          arguments: Request.argument ? [Request.argument] : [],
          workDoneToken: Token,
        },
        Cancel,
      );
      return { result: parseBuildResult(Raw) };
    } catch (E) {
      const Code = (E as { code?: unknown }).code;
      if (Cancel.isCancellationRequested || Code === LSPErrorCodes.RequestCancelled)
        return { cancelled: true as const };
      return { error: E instanceof Error ? E.message : String(E) };
    } finally {
      Reports.dispose();
    }
  });
  if ('cancelled' in Outcome) {
    void vscode.window.showInformationMessage('klp-lsp: module build cancelled');
    return;
  }
  if ('error' in Outcome) {
    S.output.appendLine(`klp.buildModule: ${Outcome.error}`);
    void vscode.window.showErrorMessage(`klp-lsp: module build failed: ${Outcome.error}`);
    return;
  }
  let Ko = Outcome.result.ko;
  if (Request.copyTo) {
    const To = path.join(Request.copyTo, path.basename(Ko));
    await fs.promises.mkdir(Request.copyTo, { recursive: true });
    await fs.promises.copyFile(Ko, To);
    Ko = To;
  }
  S.output.appendLine(`built ${Ko}`);
  void S.targetStatus().catch(() => undefined);
  for (const O of Outcome.result.objects)
    S.output.appendLine(
      `  ${O.object}: ${O.functions.join(', ') || 'no patched function'}` +
        (O.newFunctions.length ? `; new: ${O.newFunctions.join(', ')}` : ''),
    );
  const Action = await vscode.window.showInformationMessage(
    `klp-lsp: built ${Ko}`,
    'Reveal',
    'Copy Path',
  );
  if (Action === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(Ko));
  else if (Action === 'Copy Path') await vscode.env.clipboard.writeText(Ko);
}

// klp.targetStatus: the status text in the output, the verdict in a notification.
async function targetStatus(S: KlpSession): Promise<void> {
  if (!running(S)) return;
  let T;
  try {
    T = await S.targetStatus();
  } catch (E) {
    void vscode.window.showErrorMessage(`klp-lsp: ${E instanceof Error ? E.message : String(E)}`);
    return;
  }
  S.output.appendLine(T.text);
  const Show = T.exitCode === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  if ((await Show(`klp-lsp: ${targetSummary(T)}`, 'Show Output')) === 'Show Output') S.output.show();
}

async function showChangedFunctions(S: KlpSession): Promise<void> {
  if (!running(S)) return;
  if (!S.report) await S.check();
  await vscode.commands.executeCommand(`${FUNCTIONS_VIEW}.focus`);
  const Items = S.view.functions().map((F) => ({
    label: F.name,
    description: `${F.status}  ${F.description}`,
    detail: F.findings.map((X) => `${X.severity}: ${X.rule}`).join(', ') || undefined,
    location: F.location,
  }));
  if (!Items.length) {
    void vscode.window.showInformationMessage('klp-lsp: the patch changes no function');
    return;
  }
  const Pick = await vscode.window.showQuickPick(Items, {
    placeHolder: 'Functions of the livepatch',
    matchOnDescription: true,
  });
  if (Pick?.location) await openFunction(Pick.location);
}

// The rule of the klp-lsp diagnostic under the cursor, else one the user picks.
async function openRuleDocumentation(Rule?: unknown): Promise<void> {
  let Id = typeof Rule === 'string' ? Rule : undefined;
  let Url: string | undefined;
  const Editor = vscode.window.activeTextEditor;
  if (!Id && Editor) {
    const At = Editor.selection.active;
    const D = vscode.languages
      .getDiagnostics(Editor.document.uri)
      .find((X) => X.source === 'klp-lsp' && X.range.contains(At) && X.code !== undefined);
    if (D && typeof D.code === 'object') {
      Id = String(D.code.value);
      Url = D.code.target.toString();
    } else if (D) Id = String(D.code);
  }
  Id ??= await vscode.window.showQuickPick([...RULE_IDS], { placeHolder: 'klp-lsp rule' });
  if (!Id) return;
  await vscode.env.openExternal(vscode.Uri.parse(Url ?? ruleDocUrl(Id)));
}

export function registerCommands(S: KlpSession): vscode.Disposable[] {
  const Handlers: Record<CommandId, (...A: unknown[]) => unknown> = {
    'klp-lsp.checkPatch': () => checkPatch(S),
    'klp-lsp.buildModule': () => buildModule(S),
    'klp-lsp.showChangedFunctions': () => showChangedFunctions(S),
    'klp-lsp.openRuleDocumentation': (Rule) => openRuleDocumentation(Rule),
    'klp-lsp.restartServer': () => S.restart(),
    'klp-lsp.targetStatus': () => targetStatus(S),
    'klp-lsp.showOutput': () => S.output.show(),
    'klp-lsp.openFunction': (Loc) => openFunction(Loc as SourceLocation),
  };
  return COMMAND_IDS.map((Id) => vscode.commands.registerCommand(Id, Handlers[Id]));
}
