// A stand-in for the "vscode" module (which exists only inside the editor), loaded by mocha
// before the tests: just the classes the view code constructs, recording what it was given.
import Module from 'node:module';

type Listener<T> = (E: T) => void;

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  fired: T[] = [];
  event = (L: Listener<T>) => {
    this.listeners.push(L);
    return { dispose: () => (this.listeners = this.listeners.filter((X) => X !== L)) };
  };
  fire(E: T): void {
    this.fired.push(E);
    for (const L of this.listeners) L(E);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class TreeItem {
  description?: string;
  tooltip?: string;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState: number,
  ) {}
}

class ThemeIcon {
  constructor(
    public id: string,
    public color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(public id: string) {}
}

export const vscodeMock = {
  EventEmitter,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
};

// Resolve require('vscode') to this module's export.
const M = Module as unknown as {
  _resolveFilename: (Request: string, ...Rest: unknown[]) => string;
};
const Original = M._resolveFilename;
M._resolveFilename = function (Request: string, ...Rest: unknown[]): string {
  return Request === 'vscode' ? require.resolve('./vscodeMock') : Original.call(this, Request, ...Rest);
};
module.exports = Object.assign(module.exports, vscodeMock);
