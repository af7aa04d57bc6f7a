// Bundles src/extension.ts and its dependencies (vscode-languageclient) into dist/extension.js,
// the one file the .vsix needs ("vscode" is provided by the editor). --watch rebuilds on change.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18', // VS Code 1.82's Electron runs Node 18
  external: ['vscode'],
  sourcemap: true,
  minify: !watch,
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
