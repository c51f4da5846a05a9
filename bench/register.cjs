'use strict';
/*
 * Lets `node -r ./bench/register.cjs bench/<name>.ts` run a benchmark straight from its TypeScript
 * source. Node 20 cannot run .ts files and ts-node is not a dependency, but TypeScript is: each .ts
 * file is compiled on require with `transpileModule` (syntax only, no type checking: `npm run
 * typecheck` covers bench/) using the repo's tsconfig.json options, and the `@imprimatur/*` aliases
 * are resolved by tsconfig-paths from the same file. The application never loads it.
 * (bench/tsconfig.json exists so that the type-aware lint can parse this file.)
 */
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a `node -r` hook is CommonJS that Node runs as is */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
const configPath = path.join(root, 'tsconfig.json');
/** @type {{ config?: object, error?: import('typescript').Diagnostic }} */
const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
// Source maps inline, so stack traces point at the .ts lines.
/** @type {import('typescript').CompilerOptions} */
const compilerOptions = {
  ...options,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
  declaration: false,
  noEmit: false,
};
process.setSourceMapsEnabled(true);

require.extensions['.ts'] = (/** @type {NodeJS.Module} */ module, /** @type {string} */ filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  // Module#_compile is how Node's own .js loader runs source text; @types/node leaves it out.
  /** @type {NodeJS.Module & { _compile(code: string, filename: string): void }} */ (module)._compile(
    outputText,
    filename,
  );
};

tsconfigPaths.register({ baseUrl: root, paths: options.paths ?? {} });
