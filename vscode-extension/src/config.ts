// Reads the "klp-lsp" configuration section and the workspace folder for settings.ts.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { Context, RawSettings, SECTION, SETTING_KEYS } from './settings';

export function readSettings(Scope?: vscode.ConfigurationScope): RawSettings {
  const Config = vscode.workspace.getConfiguration(SECTION, Scope);
  const Raw: RawSettings = {};
  for (const [Field, Key] of Object.entries(SETTING_KEYS))
    Raw[Field as keyof RawSettings] = Config.get<unknown>(Key);
  return Raw;
}

// The first local workspace folder: the one the server serves.
export function settingsContext(): Context | undefined {
  const Folder = vscode.workspace.workspaceFolders?.find((F) => F.uri.scheme === 'file');
  return Folder ? { workspaceFolder: Folder.uri.fsPath, home: os.homedir() } : undefined;
}
