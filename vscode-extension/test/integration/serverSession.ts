// The real klp-lsp as the extension starts it (serverLaunch: command, arguments, environment,
// initializationOptions), driven through vscode-jsonrpc and vscode-languageserver-protocol: the
// libraries under vscode-languageclient. Records every notification so a test can wait for the
// one it expects; keeps the server's stderr for failure messages.
import { ChildProcess, spawn } from 'node:child_process';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { WorkDoneProgress } from 'vscode-languageserver-protocol/node';
import { ServerLaunch } from '../../src/settings';

export interface Notice {
  seq: number;
  method: string;
  params: unknown;
}

const STDERR_KEEP = 8192;

export class ServerSession {
  readonly notices: Notice[] = [];
  readonly serverRequests: string[] = [];
  exitCode: number | null | undefined; // undefined while running
  private stderr = '';
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly listeners = new Set<() => void>();

  constructor(readonly launch: ServerLaunch) {
    this.child = spawn(launch.command, launch.args, {
      cwd: launch.treeRoot,
      env: { ...process.env, ...launch.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (C: string) => {
      this.stderr = (this.stderr + C).slice(-STDERR_KEEP);
    });
    this.child.once('exit', (Code) => {
      this.exitCode = Code;
      this.changed();
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification((method: string, params: unknown) => {
      this.notices.push({ seq: this.notices.length, method, params });
      this.changed();
    });
    this.connection.onRequest((method: string) => {
      this.serverRequests.push(method);
      return null; // window/workDoneProgress/create and the like
    });
    this.connection.listen();
  }

  private changed(): void {
    for (const L of this.listeners) L();
  }

  context(): string {
    const Shown = this.notices
      .filter((N) => N.method === 'window/showMessage' || N.method === 'window/logMessage')
      .slice(-10)
      .map((N) => JSON.stringify(N.params));
    return `\n--- server messages:\n${Shown.join('\n')}\n--- server stderr:\n${this.stderr}`;
  }

  // The first value `probe` returns other than undefined, probed after each notification.
  waitFor<T>(What: string, TimeoutMs: number, Probe: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const Finish = (F: () => void) => {
        clearTimeout(Timer);
        this.listeners.delete(Check);
        F();
      };
      const Check = () => {
        const V = Probe();
        if (V !== undefined) Finish(() => resolve(V));
        else if (this.exitCode !== undefined)
          Finish(() => reject(new Error(`server exited waiting for ${What}${this.context()}`)));
      };
      const Timer = setTimeout(
        () => Finish(() => reject(new Error(`timed out waiting for ${What}${this.context()}`))),
        TimeoutMs,
      );
      this.listeners.add(Check);
      Check();
    });
  }

  // The first notification of `method` after `after` (a seq) that `accept` takes.
  notice(
    Method: string,
    TimeoutMs: number,
    After = -1,
    Accept: (P: unknown) => boolean = () => true,
  ): Promise<Notice> {
    return this.waitFor(`${Method} after #${After}`, TimeoutMs, () =>
      this.notices.find((N) => N.seq > After && N.method === Method && Accept(N.params)),
    );
  }

  lastSeq(): number {
    return this.notices.length - 1;
  }

  request<R>(Method: string, Params: unknown): Promise<R> {
    return this.connection.sendRequest(Method, Params) as Promise<R>;
  }

  notify(Method: string, Params: unknown): Promise<void> {
    return this.connection.sendNotification(Method, Params);
  }

  // Receives the $/progress of a work-done token as vscode-languageclient does (the connection
  // hands $/progress to the handler of its token only).
  trackProgress(Token: string): void {
    this.connection.onProgress(WorkDoneProgress.type, Token, (value) => {
      this.notices.push({ seq: this.notices.length, method: '$/progress', params: { token: Token, value } });
      this.changed();
    });
  }

  // $/progress values of a tracked token, in order.
  progress(Token: string): Record<string, unknown>[] {
    return this.notices
      .filter((N) => N.method === '$/progress' && (N.params as { token: unknown }).token === Token)
      .map((N) => (N.params as { value: Record<string, unknown> }).value);
  }

  exited(TimeoutMs: number): Promise<number | null> {
    return this.waitFor('the server to exit', TimeoutMs, () => this.exitCode);
  }

  dispose(): void {
    this.connection.dispose();
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }
}
