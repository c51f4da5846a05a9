import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

describe('OpenAPI document (e2e)', () => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    api = await startApi();
    dir = mkdtempSync(join(tmpdir(), 'imprimatur-openapi-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  it('lints clean with Redocly CLI (recommended rules, no errors, no warnings)', async () => {
    const res = await request(api.http).get('/docs-json').expect(200);
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(res.body, null, 2));
    copyFileSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
    copyFileSync(join(root, '.redocly.lint-ignore.yaml'), join(dir, '.redocly.lint-ignore.yaml'));
    const cli = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const result = await run(process.execPath, [cli, 'lint', 'openapi.json', '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
