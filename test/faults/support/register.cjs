'use strict';
/*
 * Lets the fault tests run the worker and the API as real child processes straight from their
 * TypeScript source (`node -r ./test/faults/support/register.cjs apps/worker/src/main.ts`), so they
 * test the tree as it is, with no build to go stale. It is bench/register.cjs (syntax-only
 * `transpileModule` with the repo's tsconfig, `@imprimatur/*` aliases through tsconfig-paths) plus a
 * cache of the compiled output on disk, keyed by source, file name and options: compiling the ~200
 * files of an app takes seconds on a busy 2-core machine, and a test that measures how fast a second
 * worker takes over must not measure the compiler. The application never loads it.
 */
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a `node -r` hook is CommonJS that Node runs as is */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..', '..', '..');
const configPath = path.join(root, 'tsconfig.json');
/** @type {{ config?: object, error?: import('typescript').Diagnostic }} */
const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
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

const cacheDir = path.join(os.tmpdir(), `imprimatur-ts-cache-${ts.version}`);
fs.mkdirSync(cacheDir, { recursive: true });
const salt = JSON.stringify(compilerOptions);

/** @param {string} source @param {string} filename */
function compiled(source, filename) {
  const key = crypto
    .createHash('sha256')
    .update(salt)
    .update('\0')
    .update(filename)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    // Written under a temporary name and renamed, so a concurrent reader never sees half a file.
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
    return outputText;
  }
}

require.extensions['.ts'] = (/** @type {NodeJS.Module} */ module, /** @type {string} */ filename) => {
  const output = compiled(fs.readFileSync(filename, 'utf8'), filename);
  // Module#_compile is how Node's own .js loader runs source text; @types/node leaves it out.
  /** @type {NodeJS.Module & { _compile(code: string, filename: string): void }} */ (module)._compile(output, filename);
};

tsconfigPaths.register({ baseUrl: root, paths: options.paths ?? {} });
