// Tasks of type "klp-lsp" ({"type": "klp-lsp", "patch": "fix.diff"} in tasks.json): run
// `klp-lsp check` on a patch file with the "$klp-lsp" problem matcher.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { readSettings } from './config';
import { checkCommandLine, expandPath, serverLaunch } from './settings';

export function registerTaskProvider(): vscode.Disposable {
  return vscode.tasks.registerTaskProvider('klp-lsp', {
    provideTasks: () => [],
    resolveTask(Task: vscode.Task): vscode.Task | undefined {
      const Patch = Task.definition.patch;
      const Folder = Task.scope;
      if (typeof Patch !== 'string' || typeof Folder !== 'object') return undefined;
      const Ctx = { workspaceFolder: Folder.uri.fsPath, home: os.homedir() };
      const Launch = serverLaunch(readSettings(Folder), Ctx);
      const [Command, ...Args] = checkCommandLine(Launch, expandPath(Patch, Ctx));
      return new vscode.Task(
        Task.definition,
        Folder,
        `check ${Patch}`,
        'klp-lsp',
        new vscode.ProcessExecution(Command, Args, { cwd: Launch.treeRoot, env: Launch.env }),
        ['$klp-lsp'],
      );
    },
  });
}
