// The "Livepatch Functions" tree view: changedFunctionGroups() as TreeItems; a function opens
// its source through the klp-lsp.openFunction command.
import * as vscode from 'vscode';
import { changedFunctionGroups, FunctionNode, StatusGroup } from './changedFunctions';
import type { CheckReport } from './report';

export type ViewNode = { group: StatusGroup } | { fn: FunctionNode };

const GROUP_ICONS: Record<string, string> = {
  changed: 'symbol-method',
  new: 'add',
  'inline-caller': 'references',
  'line-shift': 'list-ordered',
  removed: 'trash',
};

export class FunctionsView implements vscode.TreeDataProvider<ViewNode> {
  private groups: StatusGroup[] = [];
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  update(Report: CheckReport | undefined, TreeRoot: string): void {
    this.groups = Report ? changedFunctionGroups(Report, TreeRoot) : [];
    this.changed.fire(undefined);
  }

  functions(): FunctionNode[] {
    return this.groups.flatMap((G) => G.functions);
  }

  getChildren(Node?: ViewNode): ViewNode[] {
    if (!Node) return this.groups.map((group) => ({ group }));
    return 'group' in Node ? Node.group.functions.map((fn) => ({ fn })) : [];
  }

  getTreeItem(Node: ViewNode): vscode.TreeItem {
    if ('group' in Node) {
      const Item = new vscode.TreeItem(
        Node.group.label,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      Item.tooltip = Node.group.tooltip;
      Item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[Node.group.status] ?? 'symbol-function');
      Item.contextValue = 'klpGroup';
      return Item;
    }
    const Fn = Node.fn;
    const Item = new vscode.TreeItem(Fn.name, vscode.TreeItemCollapsibleState.None);
    Item.description = Fn.description;
    Item.tooltip = Fn.tooltip;
    const Worst = Fn.findings.some((F) => F.severity === 'error')
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : Fn.findings.some((F) => F.severity === 'warning')
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon('symbol-function');
    Item.iconPath = Worst;
    Item.contextValue = 'klpFunction';
    if (Fn.location)
      Item.command = { command: 'klp-lsp.openFunction', title: 'Open', arguments: [Fn.location] };
    return Item;
  }
}
