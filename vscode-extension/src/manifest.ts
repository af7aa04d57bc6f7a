// Ids shared by package.json's "contributes" and the code (a unit test keeps them in sync).
export const COMMAND_IDS = [
  'klp-lsp.checkPatch',
  'klp-lsp.buildModule',
  'klp-lsp.showChangedFunctions',
  'klp-lsp.openRuleDocumentation',
  'klp-lsp.restartServer',
  'klp-lsp.targetStatus',
  'klp-lsp.showOutput',
  'klp-lsp.openFunction',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export const FUNCTIONS_VIEW = 'klp-lsp.changedFunctions';
