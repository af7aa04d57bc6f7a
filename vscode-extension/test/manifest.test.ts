// package.json's contributions and the code's ids stay in sync.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { COMMAND_IDS, FUNCTIONS_VIEW } from '../src/manifest';
import { SECTION, SETTING_KEYS, RULE_IDS } from '../src/settings';
import { EXTENSION_DIR, readJson } from './data';

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    views: { explorer: { id: string }[] };
    configuration: { properties: Record<string, { properties?: Record<string, unknown> }> };
  };
}

describe('package.json', () => {
  const Pkg = readJson(path.join(EXTENSION_DIR, 'package.json')) as Manifest;

  it('contributes exactly the commands the extension registers', () => {
    assert.deepEqual(Pkg.contributes.commands.map((C) => C.command).sort(), [...COMMAND_IDS].sort());
  });

  it('contributes the functions view', () => {
    assert.deepEqual(Pkg.contributes.views.explorer.map((V) => V.id), [FUNCTIONS_VIEW]);
  });

  it('declares every setting the extension reads, plus the client trace', () => {
    const Declared = Object.keys(Pkg.contributes.configuration.properties).sort();
    const Read = Object.values(SETTING_KEYS).map((K) => `${SECTION}.${K}`);
    assert.deepEqual(Declared, [...Read, `${SECTION}.trace.server`].sort());
    const Severity = Pkg.contributes.configuration.properties[`${SECTION}.severity`];
    assert.deepEqual(Object.keys(Severity.properties ?? {}).sort(), [...RULE_IDS].sort());
  });

  it('activates on C files (headers are "cpp" in VS Code) and loads the bundle', () => {
    // The server starts only in a folder that looks like a kernel tree (looksLikeKernelTree) or
    // names one in klp-lsp.kernelTree; the commands activate the extension on their own.
    assert.deepEqual(Pkg.activationEvents, ['onLanguage:c', 'onLanguage:cpp']);
    assert.equal(Pkg.main, './dist/extension.js');
  });
});
