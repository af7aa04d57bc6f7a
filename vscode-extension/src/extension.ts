// Activation: in a workspace that looks like a kernel tree (or names one in klp-lsp.kernelTree),
// start `klp-lsp serve` with vscode-languageclient, keep the status bar and the functions view
// in step with the server's klp/verdict notifications (and klp.checkPatch when asked), and
// restart the server when its command line changes.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FunctionsView } from './functionsView';
import { FUNCTIONS_VIEW } from './manifest';
import {
  CheckReport,
  parseCheckReport,
  parseVerdictNotification,
  VERDICT_NOTIFICATION,
} from './report';
import { readSettings, settingsContext } from './config';
import {
  configurationPayload,
  looksLikeKernelTree,
  RESTART_KEYS,
  SECTION,
  ServerLaunch,
  serverLaunch,
} from './settings';
import { StatusState, statusView } from './status';
import { parseTargetStatus, TargetStatus, targetSummary } from './targetStatus';
import { registerTaskProvider } from './tasks';

export class KlpSession implements vscode.Disposable {
  client: LanguageClient | undefined;
  launch: ServerLaunch | undefined;
  report: CheckReport | undefined;
  target: TargetStatus | undefined; // the last klp.targetStatus, shown in the tooltip
  private lastStatus: StatusState = { kind: 'starting' };
  readonly output = vscode.window.createOutputChannel('klp-lsp');
  readonly view = new FunctionsView();
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private checking: Promise<CheckReport | undefined> | undefined;

  constructor() {
    this.status.command = 'klp-lsp.showOutput';
    this.status.name = 'klp-lsp verdict';
    this.disposables.push(
      this.output,
      this.status,
      vscode.window.registerTreeDataProvider(FUNCTIONS_VIEW, this.view),
    );
  }

  setStatus(S: StatusState): void {
    this.lastStatus = S;
    const V = statusView(S);
    this.status.text = V.text;
    this.status.tooltip = this.target ? `${V.tooltip}\n${targetSummary(this.target)}` : V.tooltip;
    this.status.backgroundColor = V.background ? new vscode.ThemeColor(V.background) : undefined;
    this.status.show();
  }

  // Starts the server for the current settings; false (with the reason shown) when there is no
  // kernel tree to serve.
  async start(): Promise<boolean> {
    const Ctx = settingsContext();
    const Raw = readSettings();
    if (!Ctx) {
      this.setStatus({ kind: 'stopped', reason: 'no folder is open' });
      return false;
    }
    const Launch = serverLaunch(Raw, Ctx);
    for (const P of Launch.problems) {
      this.output.appendLine(`settings: ${P}`);
      void vscode.window.showWarningMessage(P);
    }
    if (!Launch.settings.kernelTree && !looksLikeKernelTree(safeReaddir(Launch.treeRoot))) {
      this.output.appendLine(
        `${Launch.treeRoot} does not look like a kernel tree (no Kbuild, Makefile, MAINTAINERS): ` +
          'set klp-lsp.kernelTree to serve another folder',
      );
      this.status.hide();
      return false;
    }
    this.launch = Launch;
    const Server: ServerOptions = {
      command: Launch.command,
      args: Launch.args,
      options: { cwd: Launch.treeRoot, env: { ...process.env, ...Launch.env } },
    };
    const Root = Launch.treeRoot.replace(/[[\]{}*?]/g, '?');
    const Client: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'c', pattern: `${Root}/**/*` },
        { scheme: 'file', pattern: `${Root}/**/*.h` },
      ],
      initializationOptions: Launch.settings,
      outputChannel: this.output,
    };
    this.output.appendLine(`starting ${Launch.command} ${Launch.args.join(' ')} in ${Launch.treeRoot}`);
    const C = new LanguageClient(SECTION, 'klp-lsp', Server, Client);
    this.client = C;
    C.onDidChangeState((E) => {
      if (E.newState === State.Stopped && this.client === C)
        this.setStatus({ kind: 'stopped', reason: 'the server stopped' });
    });
    C.onNotification(VERDICT_NOTIFICATION, (P: unknown) => {
      if (this.client === C) this.verdictArrived(P);
    });
    this.setStatus({ kind: 'starting' });
    try {
      await C.start();
    } catch (E) {
      const Message = E instanceof Error ? E.message : String(E);
      this.setStatus({ kind: 'stopped', reason: Message });
      void vscode.window.showErrorMessage(`klp-lsp could not start: ${Message}`);
      return false;
    }
    await vscode.commands.executeCommand('setContext', 'klp-lsp.active', true);
    // The first analysis runs on its own and ends in a klp/verdict.
    this.setStatus(this.report ? { kind: 'checked', report: this.report } : { kind: 'checking' });
    void this.targetStatus().catch(() => undefined); // for the tooltip; failures are in the output
    return true;
  }

  async stop(): Promise<void> {
    const C = this.client;
    this.client = undefined;
    if (C) await C.stop().catch(() => undefined);
    await vscode.commands.executeCommand('setContext', 'klp-lsp.active', false);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async configurationChanged(E: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!E.affectsConfiguration(SECTION)) return;
    if (!this.client || RESTART_KEYS.some((K) => E.affectsConfiguration(`${SECTION}.${K}`))) {
      await this.restart();
      return;
    }
    const Ctx = settingsContext();
    if (!Ctx) return;
    this.launch = serverLaunch(readSettings(), Ctx);
    for (const P of this.launch.problems) void vscode.window.showWarningMessage(P);
    await this.client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: configurationPayload(this.launch.settings),
    });
    if (E.affectsConfiguration(`${SECTION}.target.root`)) void this.targetStatus().catch(() => undefined);
  }

  // klp.checkPatch; one at a time (a second caller shares the running one). Quiet checks (the
  // automatic ones) report failures in the status bar only.
  check(Opts: { quiet?: boolean } = {}): Promise<CheckReport | undefined> {
    if (this.checking) return this.checking;
    const C = this.client;
    if (!C) return Promise.resolve(undefined);
    this.setStatus({ kind: 'checking' });
    this.checking = (async () => {
      try {
        const Raw = await C.sendRequest(ExecuteCommandRequest.type, {
          command: 'klp.checkPatch',
          arguments: [],
        });
        const R = parseCheckReport(Raw);
        this.report = R;
        this.view.update(R, this.launch?.treeRoot ?? '');
        this.setStatus({ kind: 'checked', report: R });
        return R;
      } catch (E) {
        const Message = E instanceof Error ? E.message : String(E);
        this.output.appendLine(`klp.checkPatch: ${Message}`);
        this.setStatus({ kind: 'failed', message: Message });
        if (!Opts.quiet) void vscode.window.showErrorMessage(`klp-lsp: check failed: ${Message}`);
        return undefined;
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  // klp.targetStatus for the configured target root; refreshes the tooltip.
  async targetStatus(): Promise<TargetStatus> {
    const C = this.client;
    if (!C) throw new Error('klp-lsp is not running');
    try {
      const T = parseTargetStatus(
        await C.sendRequest(ExecuteCommandRequest.type, { command: 'klp.targetStatus', arguments: [] }),
      );
      this.target = T;
      this.setStatus(this.lastStatus);
      return T;
    } catch (E) {
      const Message = E instanceof Error ? E.message : String(E);
      this.output.appendLine(`klp.targetStatus: ${Message}`);
      throw new Error(Message);
    }
  }

  // klp/verdict: the report of the analysis that just finished (or why it failed).
  private verdictArrived(P: unknown): void {
    try {
      const V = parseVerdictNotification(P);
      if ('error' in V) {
        this.setStatus({ kind: 'failed', message: V.error });
        return;
      }
      this.report = V.report;
      this.view.update(V.report, this.launch?.treeRoot ?? '');
      this.setStatus({ kind: 'checked', report: V.report });
    } catch (E) {
      this.output.appendLine(`${VERDICT_NOTIFICATION}: ${E instanceof Error ? E.message : String(E)}`);
    }
  }

  dispose(): void {
    void this.stop();
    for (const D of this.disposables) D.dispose();
  }
}

function safeReaddir(Dir: string): string[] {
  try {
    return fs.readdirSync(Dir);
  } catch {
    return [];
  }
}

let Session: KlpSession | undefined;

export async function activate(Context: vscode.ExtensionContext): Promise<void> {
  Session = new KlpSession();
  const S = Session;
  Context.subscriptions.push(
    S,
    ...registerCommands(S),
    registerTaskProvider(),
    vscode.workspace.onDidChangeConfiguration((E) => void S.configurationChanged(E)),
  );
  await S.start();
}

export async function deactivate(): Promise<void> {
  await Session?.stop();
  Session = undefined;
}
