/**
 * The whole editorial story through the web app, in Debian's Chromium: `npm run test:browser`.
 *
 * 1. A throwaway database `imprimatur_browser_<random>` (migrated by prepareDatabase) and a queue
 *    prefix `imprimatur-browser-<random>`; the built API (`dist/apps/api/main.js`) and worker
 *    (`dist/apps/worker/main.js`) as child processes (`npm run build` first if dist/ is missing);
 *    a local web on 127.0.0.1 that answers 200 for the article's reference URLs.
 * 2. Users (an editor, two board reviewers) are created through the API with the bootstrap admin's
 *    token; everything about the article goes through the UI: the editor drafts it with two
 *    references and a patient version (its own tab) and submits it; the admin assigns the two
 *    reviewers; reviewer 1 starts the review (the patient version beside the professional text),
 *    selects a sentence, leaves a blocking comment and requests changes; the editor revises both
 *    versions and resubmits (the editor's change class panel and the review workspace say revision 2 is a
 *    clinical change); reviewer 1 opens "changes since my last sign-off" (the patient version's
 *    diff too), resolves the comment and approves; reviewer 2 approves. Every sign-off is an electronic
 *    signature: the reviewer types their password in the dialog (reviewer 1 first mistypes it, and is
 *    told so in words, with nothing recorded). The overview lists the signatures; the worker publishes,
 *    and `/read/:slug` shows the badge, the reviewers' names and credentials, each approval ("Approved
 *    by <name>, <credentials>, on <date>"), the review dates and the references. A reader with
 *    JavaScript off chooses "Patient" under "Which best describes you?", reads the patient version,
 *    and gets it again on the next visit (the `audience` cookie); "Caregiver" falls back to the
 *    professional text and says so. The admin rewrites the editorial policy, which readers then see
 *    at /read/editorial-policy.
 * 3. axe (wcag2a, wcag2aa, wcag21aa, wcag22aa) on every screen visited: any serious or critical
 *    violation fails the run. Screenshots (viewport, 1280 and 390 px wide) of the desk, the editor
 *    (professional and patient tabs), the review workspace, the compare screen, the audit log and the
 *    reader page, and of the reader page for each audience at 1280 px, go to docs/screenshots/.
 *
 * Everything is removed at the end, also on failure: the children are stopped, the database is
 * dropped WITH (FORCE) and the prefix's Redis keys are deleted (SCAN + UNLINK). Exits 1 on failure.
 * Nothing is browsed but the local API and the local web on 127.0.0.1.
 *
 * Env: DATABASE_URL (only its server and credentials are used), REDIS_URL, CHROMIUM (default
 * /usr/bin/chromium), SCREENSHOTS=0 to skip writing screenshots.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import AxeBuilder from '@axe-core/playwright';
import { Client } from 'pg';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { prepareDatabase } from '@imprimatur/database';
import { describeChange } from '@imprimatur/domain';
import { deleteKeys } from '../../bench/support';

const ROOT = resolve(__dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const HOST = '127.0.0.1';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 390, height: 844 };
const TIMEOUT_MS = 15_000;
const WATCHDOG_MS = 4 * 60_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ADMIN = { email: 'browser-admin@imprimatur.test', password: 'browser-admin-password', name: 'Admin' };
const EDITOR = { email: 'editor@imprimatur.test', password: 'editor-password-123', name: 'Erin Editor' };
const REVIEWER_1 = {
  email: 'ada@imprimatur.test',
  password: 'reviewer-password-1',
  name: 'Dr Ada Lovelace',
  credentials: 'MD, PhD',
};
const REVIEWER_2 = {
  email: 'grace@imprimatur.test',
  password: 'reviewer-password-2',
  name: 'Dr Grace Hopper',
  credentials: 'MD, FRCP',
};

const SLUG = 'leiomyosarcoma-treatment';
const TITLE = 'Can leiomyosarcoma be treated?';
const SENTENCE = 'Doxorubicin-based chemotherapy can slow advanced disease in some patients';
const REFERENCES = [
  {
    title: 'Soft tissue and visceral sarcomas: ESMO Clinical Practice Guideline',
    source: 'Annals of Oncology',
    year: '2021',
    path: '/ref/esmo-sarcoma',
  },
  {
    title: 'Doxorubicin alone versus doxorubicin with ifosfamide in advanced soft-tissue sarcoma',
    source: 'Lancet Oncology',
    year: '2014',
    path: '/ref/doxorubicin-trial',
  },
];
const BODY_1 = [
  '## From the Guidelines',
  '',
  'Surgery with clear margins is the main treatment for localised leiomyosarcoma [1].',
  '',
  '## From the Research',
  '',
  `${SENTENCE} [2].`,
].join('\n');
const BODY_2 = BODY_1.replace(
  `${SENTENCE} [2].`,
  'Doxorubicin-based chemotherapy can slow advanced disease in some patients; adding ifosfamide did not help them live longer [2].',
);

// The patient version (contract §13): plain words, the same references, no dose the professional text lacks.
const PATIENT_TITLE = 'Can my leiomyosarcoma be treated?';
const PATIENT_SENTENCE = 'The main treatment is an operation to take out the tumour';
const PATIENT_BODY_1 = [
  '## What is the main treatment?',
  '',
  `${PATIENT_SENTENCE} [1].`,
  '',
  '## What if it has spread?',
  '',
  'Medicines called chemotherapy can slow the cancer down for some people [2].',
].join('\n');
const PATIENT_ADDED = 'Adding a second medicine did not help people live longer [2].';
const PATIENT_BODY_2 = `${PATIENT_BODY_1} ${PATIENT_ADDED}`;
const POLICY_SENTENCE =
  'Every article is approved by two members of the Medical Advisory Board before it is published.';

/** What the sign-off dialog says to a wrong password (apps/web/src/components/SignoffDialog.tsx). */
const WRONG_PASSWORD =
  'That password is not right. Your sign-off was not recorded; enter the password you sign in with.';

const log = (message: string) => process.stderr.write(`[browser] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Infrastructure: database, processes, local web, Redis clean-up.

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** The reference pages: every GET/HEAD under /ref/ (and the DOI/PubMed stand-ins) answers 200. */
async function startLocalWeb(): Promise<{ server: Server; url: (path: string) => string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    const ok = /^\/(ref|doi|pubmed)\//.test(req.url ?? '');
    res.writeHead(ok ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(ok ? '<!doctype html><title>Reference</title><p>Reference page</p>' : 'not found');
  });
  await new Promise<void>((r, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => r());
  });
  const port = (server.address() as AddressInfo).port;
  return { server, url: (path) => `http://${HOST}:${port}${path}`, hits: () => hits };
}

class Proc {
  readonly output: string[] = [];
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  static start(name: string, script: string, env: NodeJS.ProcessEnv): Proc {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new Proc(name, child);
    const keep = (chunk: Buffer) => {
      proc.output.push(chunk.toString());
      if (proc.output.length > 200) proc.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return proc;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  stop(): Promise<void> {
    return new Promise((done) => {
      if (this.exited) return done();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** Drops the story's database, then its application role (whose privileges lived only there). */
async function dropDatabase(adminUrl: string, name: string, appRole: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(appRole)}`);
  } finally {
    await client.end();
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// The API, for the users only.

async function call<T>(origin: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

// ---------------------------------------------------------------------------------------------
// Accessibility and screenshots.

interface AxeFinding {
  screen: string;
  id: string;
  impact: string;
  help: string;
  nodes: number;
  targets: string[];
}

class Audit {
  readonly screens: string[] = [];
  readonly findings: AxeFinding[] = [];

  async check(page: Page, screen: string): Promise<void> {
    await sleep(250); // Mantine's colour transitions (150 ms) must end, or axe measures a colour half-way
    const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    this.screens.push(screen);
    for (const v of result.violations) {
      this.findings.push({
        screen,
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        nodes: v.nodes.length,
        targets: v.nodes
          .slice(0, 3)
          .map(
            (n) =>
              `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}]` : ''}`,
          ),
      });
    }
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    log(
      `axe ${screen}: ${result.violations.length} violation(s)${bad.length ? `, SERIOUS/CRITICAL: ${bad.map((v) => v.id).join(', ')}` : ''}`,
    );
  }

  get blocking(): AxeFinding[] {
    return this.findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  }

  summary(): string {
    const lines = [`axe (${AXE_TAGS.join(', ')}) on ${this.screens.length} screens: ${this.screens.join(', ')}`];
    if (this.findings.length === 0) lines.push('  no violations');
    for (const f of this.findings)
      lines.push(`  [${f.impact}] ${f.screen}: ${f.id} — ${f.help} (${f.nodes} node(s): ${f.targets.join(' | ')})`);
    return lines.join('\n');
  }
}

const writeShots = process.env.SCREENSHOTS !== '0';

/** A screenshot of the current screen at 1280 px only (viewport). */
async function shootWide(page: Page, name: string): Promise<void> {
  await page.setViewportSize(WIDE);
  await sleep(250);
  if (writeShots)
    await page.screenshot({ path: join(SHOTS, `${name}-${WIDE.width}.png`), animations: 'disabled', caret: 'hide' });
}

/** Screenshots of the current screen at 1280 and 390 px (viewport only), and axe at 390 px too. */
async function shoot(page: Page, name: string, audit: Audit, ready: () => Promise<unknown>): Promise<void> {
  for (const size of [WIDE, NARROW]) {
    await page.setViewportSize(size);
    await ready();
    await sleep(250); // let layout transitions settle
    if (size === NARROW) await audit.check(page, `${name} (390 px)`);
    if (writeShots)
      await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(WIDE);
}

// ---------------------------------------------------------------------------------------------
// UI helpers.

async function signIn(
  browser: Browser,
  origin: string,
  user: { email: string; password: string },
  audit?: Audit,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: WIDE,
    locale: 'en-GB',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  // Nothing but the local servers.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  countActions(page);
  await page.goto(`${origin}/app/sign-in`);
  await page.getByRole('heading', { name: 'Sign in to Imprimatur' }).waitFor();
  if (audit) {
    await audit.check(page, 'sign-in');
    await focusIsOn(
      page,
      'the email field',
      `document.activeElement?.getAttribute('type') === 'email' || document.activeElement?.getAttribute('autocomplete') === 'email' || document.activeElement?.getAttribute('name') === 'email'`,
    );
  }
  await page.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await page.locator('input[type="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page };
}

/** The sign-off dialog's password field: signing is an electronic signature (contract §12). */
const passwordIn = (dialog: Locator) => dialog.getByLabel(/^Your password/);

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

async function noLoading(page: Page): Promise<void> {
  // Polled from here: waitForFunction would need eval, which the app's content security policy refuses.
  const idle = `!document.querySelector('[aria-busy="true"]') && !/Loading/.test(document.querySelector('#main')?.innerText ?? '')`;
  await waitFor('the screen to finish loading', async () => (await page.evaluate(idle)) === true, TIMEOUT_MS, 100);
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** The few DOM shapes selectText uses in the page (the repo's tsconfig has no DOM types). */
interface TextNodeLike {
  data: string;
}
interface RangeLike {
  setStart(node: TextNodeLike, offset: number): void;
  setEnd(node: TextNodeLike, offset: number): void;
  getBoundingClientRect(): { left: number; right: number; top: number; height: number };
}
interface DocLike {
  createTreeWalker(root: unknown, whatToShow: number): { nextNode(): TextNodeLike | null };
  createRange(): RangeLike;
}

/** Drags the mouse across `text` inside `container` (a real selection), falling back to a scripted one. */
async function selectText(page: Page, container: Locator, text: string): Promise<void> {
  await container.scrollIntoViewIfNeeded();
  const handle = await container.elementHandle();
  assert(handle, 'the article text is on the screen');
  // Runs in the page.
  const rects = await handle.evaluate((root: unknown, needle: string) => {
    const doc = (globalThis as unknown as { document: DocLike }).document;
    const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(needle);
      if (at < 0) continue;
      const range = doc.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const first = range.getBoundingClientRect();
      range.setStart(node, at + needle.length - 1);
      range.setEnd(node, at + needle.length);
      const last = range.getBoundingClientRect();
      return {
        x1: first.left + 1,
        y1: first.top + first.height / 2,
        x2: last.right - 1,
        y2: last.top + last.height / 2,
      };
    }
    return null;
  }, text);
  assert(rects, `"${text}" is in the article`);
  await page.mouse.move(rects.x1, rects.y1);
  await page.mouse.down();
  await page.mouse.move((rects.x1 + rects.x2) / 2, (rects.y1 + rects.y2) / 2, { steps: 4 });
  await page.mouse.move(rects.x2, rects.y2, { steps: 4 });
  await page.mouse.up();
}

// ---------------------------------------------------------------------------------------------
// Counting what a person does (issue #19: fewer steps): every click, fill, choice, key press, drag
// and typed address, on every page of every context.

let actions = 0;
let counting = false;
function countActions(page: Page): void {
  if (counting) return;
  counting = true;
  const patch = (proto: Record<string, unknown>, names: string[]) => {
    for (const name of names) {
      const original = proto[name] as (...args: unknown[]) => unknown;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        actions++;
        return original.apply(this, args);
      };
    }
  };
  patch(Object.getPrototypeOf(page.locator('body')) as Record<string, unknown>, [
    'click',
    'fill',
    'check',
    'selectOption',
    'press',
  ]);
  patch(Object.getPrototypeOf(page) as Record<string, unknown>, ['goto', 'goBack']);
  patch(Object.getPrototypeOf(page.keyboard) as Record<string, unknown>, ['press']);
  // A drag across text is one action however many moves it takes.
  patch(Object.getPrototypeOf(page.mouse) as Record<string, unknown>, ['down']);
}

/** The focus is on an element of the page's content, not lost to <body> (or nowhere). */
const FOCUS_KEPT = `document.activeElement !== null && document.activeElement !== document.body`;

/** WCAG 2.4.3: after an action the focus is somewhere meaningful, never on <body>. */
async function focusIsOn(page: Page, what: string, check: string): Promise<void> {
  // A string, evaluated in the page (the CSP refuses eval only for the page's own scripts, not for CDP).
  await waitFor(`the focus on ${what}`, async () => (await page.evaluate(check)) === true, 5_000, 50);
}

// ---------------------------------------------------------------------------------------------
// The story.

async function story(
  browser: Browser,
  origin: string,
  web: { url: (path: string) => string },
  audit: Audit,
): Promise<void> {
  // --- the editor drafts and submits
  let t = performance.now();
  const editor = await signIn(browser, origin, EDITOR, audit);
  let page = editor.page;
  await page.getByRole('heading', { name: "Editor's desk" }).waitFor();
  await noLoading(page);
  await audit.check(page, 'desk (empty)');
  // Contract §19: a second tab, and a reload, keep the session (the refresh cookie), no sign-in screen.
  const second = await editor.context.newPage();
  await second.goto(`${origin}/app/desk`);
  await second.getByRole('heading', { name: "Editor's desk" }).waitFor();
  assert(
    (await second.getByRole('heading', { name: 'Sign in to Imprimatur' }).count()) === 0,
    'a second tab keeps the session',
  );
  await second.close();
  await page.reload();
  await page.getByRole('heading', { name: "Editor's desk" }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.locator('#main').getByRole('link', { name: 'New article' }).click();
  await page.getByRole('heading', { name: 'New article', level: 1 }).waitFor();
  await page.getByRole('textbox', { name: 'Title', exact: true }).first().fill(TITLE);
  await page.getByRole('textbox', { name: 'Address (slug)' }).fill(SLUG);
  await page
    .getByRole('textbox', { name: 'Summary' })
    .fill('Yes: surgery first, and chemotherapy when the disease has spread.');
  await page.getByRole('textbox', { name: 'Body', exact: true }).fill(BODY_1);
  for (const [i, ref] of REFERENCES.entries()) {
    await page.getByRole('button', { name: 'Add reference' }).click();
    const group = page.getByRole('group', { name: `Reference ${i + 1}` });
    await group.getByRole('combobox', { name: 'Type' }).selectOption(i === 0 ? 'guideline' : 'research');
    await group.getByRole('textbox', { name: 'Title' }).fill(ref.title);
    await group.getByRole('textbox', { name: 'Source (journal or body)' }).fill(ref.source);
    await group.getByRole('textbox', { name: 'Year' }).fill(ref.year);
    await group.getByRole('textbox', { name: 'URL' }).fill(web.url(ref.path));
  }
  await page.getByRole('textbox', { name: 'Change note' }).fill('First draft.');
  await visible(page.getByTestId('citation-summary').filter({ hasText: '2 references cited' }));
  await audit.check(page, 'editor (new article)');
  // The patient version, in its own tab: the same references, the article's summary.
  await page.getByRole('tab', { name: /^Patient/ }).click();
  await page.getByRole('button', { name: 'Add a patient version' }).click();
  await page.getByRole('textbox', { name: 'Patient title' }).fill(PATIENT_TITLE);
  await page.getByRole('textbox', { name: 'Patient body' }).fill(PATIENT_BODY_1);
  await visible(page.getByRole('region', { name: 'Preview' }).getByText(PATIENT_SENTENCE));
  await visible(page.getByTestId('citation-summary').filter({ hasText: '2 references cited' }));
  await audit.check(page, 'editor (new article, patient version)');
  await page.getByRole('button', { name: 'Create article' }).click();
  await page.waitForURL(/\/app\/articles\/[0-9a-f-]+\/edit(\?audience=patient)?$/);
  const articleId = /\/articles\/([0-9a-f-]+)\/edit/.exec(page.url())?.[1] ?? '';
  assert(articleId, 'the article has an id in its URL');
  await page.getByText('Created “Can leiomyosarcoma be treated?” as revision 1.').waitFor();
  await page.getByRole('button', { name: 'Submit revision 1 for review' }).click();
  await page.getByText('Submitted — an admin will assign reviewers.').waitFor();
  await focusIsOn(page, 'what became of the submission', FOCUS_KEPT);
  log(`editor drafted and submitted ${articleId} (${seconds(t)})`);

  // --- the admin assigns two reviewers
  t = performance.now();
  const admin = await signIn(browser, origin, ADMIN);
  const adminPage = admin.page;
  await adminPage.goto(`${origin}/app/admin/users`);
  await adminPage.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await visible(adminPage.getByText(REVIEWER_2.name).first());
  await noLoading(adminPage);
  await audit.check(adminPage, 'admin users');
  await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Articles & reviewers' }).click();
  await adminPage.getByRole('heading', { name: 'Articles & reviewers' }).waitFor();
  await noLoading(adminPage);
  await audit.check(adminPage, 'admin articles');
  await adminPage.getByRole('link', { name: TITLE }).first().click();
  await adminPage.getByRole('heading', { name: 'Assign reviewers' }).waitFor();
  const reviewersInput = adminPage
    .getByRole('combobox', { name: 'Reviewers' })
    .or(adminPage.getByRole('textbox', { name: 'Reviewers' }));
  for (const reviewer of [REVIEWER_1, REVIEWER_2]) {
    await reviewersInput.click();
    await reviewersInput.fill(reviewer.name.split(' ')[1]);
    await adminPage.getByRole('option', { name: new RegExp(reviewer.name) }).click();
  }
  await adminPage.keyboard.press('Escape');
  await adminPage.getByRole('button', { name: 'Save reviewers' }).click();
  await adminPage.getByText('Reviewers saved.').waitFor();
  await focusIsOn(adminPage, 'what became of the assignment', FOCUS_KEPT);
  await audit.check(adminPage, 'article overview (assignment)');
  log(`admin assigned ${REVIEWER_1.name} and ${REVIEWER_2.name} (${seconds(t)})`);

  // --- reviewer 1: start, comment on a sentence (blocking), request changes
  t = performance.now();
  const r1 = await signIn(browser, origin, REVIEWER_1);
  page = r1.page;
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await visible(page.getByRole('link', { name: TITLE }).first());
  // Contract §17: what waits on the reviewer, and the bell with what they were told (assigned, revision ready).
  const waiting = page.getByRole('region', { name: 'Waiting on you' });
  await visible(waiting.getByRole('link', { name: TITLE }));
  await visible(waiting.getByText('Review', { exact: true }).first());
  await noLoading(page);
  await audit.check(page, 'reviewer queue');
  await page.getByRole('link', { name: /^Notifications, [1-9]\d* unread$/ }).click();
  await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  await visible(page.getByRole('list', { name: 'Notifications' }).getByText(TITLE).first());
  await noLoading(page);
  await audit.check(page, 'notifications');
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await page
    .getByRole('link', { name: 'Notifications, 0 unread' })
    .or(page.getByRole('link', { name: 'Notifications', exact: true }))
    .waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await page.getByRole('link', { name: TITLE }).first().click();
  await page.getByRole('heading', { name: `Review: ${TITLE}` }).waitFor();
  // No "Start the review": the first comment starts it (contract §19).
  await page.getByRole('button', { name: 'Approve revision 1' }).waitFor();
  // Before anyone signs, the workspace says what kind of change this is (contract §15): the first revision has no class.
  await visible(page.getByRole('region', { name: 'Change class' }).getByText('First revision: full review.'));
  // The patient version beside the professional text (side by side at 1280 px), from its stored HTML.
  const patientVersion = page.getByRole('region', { name: 'Patient version' });
  await visible(patientVersion.getByText(PATIENT_SENTENCE));
  await visible(patientVersion.getByRole('heading', { name: PATIENT_TITLE }));
  const text = page.getByRole('region', { name: 'Professional version' }).locator('.article-text').last();
  await selectText(page, text, SENTENCE);
  const selected = page.getByRole('heading', { name: 'Comment on the selected text' });
  try {
    await selected.waitFor({ timeout: 3_000 });
  } catch {
    throw new Error('selecting the sentence did not start a comment on it');
  }
  const quoted = await page.locator('form[aria-labelledby="new-comment-title"] blockquote').innerText();
  assert(quoted.includes(SENTENCE), `the comment quotes the selected sentence (got ${quoted})`);
  await page.getByRole('textbox', { name: 'Comment' }).fill('Say whether adding ifosfamide helps: readers will ask.');
  await page.getByRole('switch', { name: 'Blocking' }).check({ force: true });
  await page.getByRole('button', { name: 'Add blocking comment' }).click();
  await page.getByText('1 open blocking comment').waitFor();
  await focusIsOn(page, 'the new comment', `!!document.activeElement?.closest('[id^="comment-"]')`);
  await visible(page.locator('mark').first()).catch(() => undefined); // the quote is highlighted in the text
  await noLoading(page);
  await audit.check(page, 'review workspace');
  // The selection brought the comment form (under the side-by-side versions) into view: back to the top.
  await page.getByRole('heading', { name: `Review: ${TITLE}` }).scrollIntoViewIfNeeded();
  await shoot(page, 'review-workspace', audit, () => page.getByText('1 open blocking comment').waitFor());
  await page.getByRole('button', { name: 'Request changes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Reason' }).waitFor();
  await sleep(300);
  await audit.check(page, 'sign-off dialog');
  await dialog
    .getByRole('textbox', { name: 'Reason' })
    .fill('Please answer my comment on chemotherapy before I approve.');
  // A mistyped password: explained in words, the field emptied, nothing recorded.
  await passwordIn(dialog).fill(`${REVIEWER_1.password}-typo`);
  await dialog.getByRole('button', { name: 'Request changes on revision 1' }).click();
  await dialog.getByText(WRONG_PASSWORD).waitFor();
  assert((await passwordIn(dialog).inputValue()) === '', 'a wrong password is cleared from the field');
  await audit.check(page, 'sign-off dialog (wrong password)');
  await passwordIn(dialog).fill(REVIEWER_1.password);
  await dialog.getByRole('button', { name: 'Request changes on revision 1' }).click();
  await page.getByText('You requested changes on revision 1').first().waitFor();
  await focusIsOn(page, 'the workspace after the dialog', FOCUS_KEPT);
  log(`${REVIEWER_1.name} commented (blocking) and requested changes (${seconds(t)})`);

  // --- the editor revises and resubmits
  t = performance.now();
  page = editor.page;
  await page.goto(`${origin}/app/desk?tab=changes`);
  await page.getByRole('heading', { name: "Editor's desk" }).waitFor();
  await visible(page.getByText('Please answer my comment on chemotherapy before I approve.').first());
  await noLoading(page);
  await audit.check(page, 'desk (changes requested)');
  await shoot(page, 'desk', audit, () => page.getByText('Please answer my comment on chemotherapy').first().waitFor());
  await page.getByRole('link', { name: TITLE }).first().click();
  await page.getByRole('heading', { name: `Edit: ${TITLE}` }).waitFor();
  const body = page.getByRole('textbox', { name: 'Body', exact: true });
  await expectValue(body, BODY_1);
  // The reviewer's inline comment, answered from the editor screen (contract §19): the thread takes the focus.
  const margin = page.getByRole('region', { name: 'Comments on revision 1' });
  const thread = margin.getByRole('listitem').filter({ hasText: 'Say whether adding ifosfamide helps' }).first();
  await thread.getByRole('textbox', { name: /^Reply to / }).fill('Added the ifosfamide trial result: it did not help.');
  await thread.getByRole('button', { name: 'Send reply' }).click();
  await thread.getByText('Reply sent.').waitFor();
  await focusIsOn(page, 'the answered thread', `!!document.activeElement?.closest('li[id^="comment-"]')`);
  // A moved reference keeps its citations: the markers are renumbered at once, and back again.
  await page.getByRole('button', { name: 'Move reference 2 up' }).click();
  const renumbered = page.getByRole('status', { name: 'Reference changes' });
  await visible(renumbered.getByText(/Reference 2 moved to 1: \d+ markers? renumbered/));
  const swapped = await body.inputValue();
  assert(
    swapped !== BODY_1 && swapped.replace(/\[\d[^\]]*\]/g, '') === BODY_1.replace(/\[\d[^\]]*\]/g, ''),
    'moving a reference rewrites only the markers',
  );
  await focusIsOn(
    page,
    'the moved reference',
    `document.activeElement?.getAttribute('aria-label') === 'Move reference 1 down'`,
  );
  await page.getByRole('button', { name: 'Move reference 1 down' }).click();
  await expectValue(body, BODY_1);
  await body.fill(BODY_2);
  await page.getByRole('textbox', { name: 'Change note' }).fill('Added the ifosfamide result, as Dr Lovelace asked.');
  await page.getByRole('tab', { name: /^Patient/ }).click();
  const patientBody = page.getByRole('textbox', { name: 'Patient body' });
  await expectValue(patientBody, PATIENT_BODY_1);
  await patientBody.fill(PATIENT_BODY_2);
  await page.getByRole('tab', { name: 'Professional' }).click();
  // The draft's class while typing, by the classifier the server runs: against revision 1 (nothing is live yet).
  await visible(page.getByRole('region', { name: 'Change class' }).getByText('Clinical change: needs the full board.'));
  await noLoading(page);
  await audit.check(page, 'editor (revision 2)');
  await shoot(page, 'editor', audit, () => page.getByRole('button', { name: 'Save and submit for review' }).waitFor());
  await page.getByRole('tab', { name: /^Patient/ }).click();
  await expectValue(page.getByRole('textbox', { name: 'Patient body' }), PATIENT_BODY_2);
  await audit.check(page, 'editor (patient version)');
  await shoot(page, 'editor-patient', audit, () =>
    page.getByRole('region', { name: 'Preview' }).getByText(PATIENT_ADDED).waitFor(),
  );
  // One action saves and submits (contract §19); the result is said in the save bar, by the buttons.
  await page.getByRole('button', { name: 'Save and submit for review' }).click();
  await page.getByText('Saved as revision 2 and submitted for review.').waitFor();
  await focusIsOn(
    page,
    'the outcome in the save bar',
    `document.activeElement?.textContent === 'Saved as revision 2 and submitted for review.'`,
  );
  log(`editor saved and submitted revision 2 (${seconds(t)})`);

  // --- reviewer 1: changes since my last sign-off, resolve, approve
  t = performance.now();
  page = r1.page;
  await page.goto(`${origin}/app/articles/${articleId}/review`);
  // Resubmitted after changes were requested, it is under review again at once: nothing to start (§19).
  await page.getByRole('button', { name: 'Approve revision 2' }).waitFor();
  // Revision 2 adds a drug (ifosfamide) and a negation ("did not"): clinical, the full board (contract §15).
  const changeClass = page.getByRole('region', { name: 'Change class' });
  await visible(changeClass.getByText('Clinical change: needs the full board.'));
  await visible(changeClass.getByText(describeChange({ kind: 'drug', before: null, after: 'ifosfamide' })));
  await page.getByRole('link', { name: 'Changes since my last sign-off (revision 1)' }).click();
  await page.waitForURL(/\/compare\?from=1&to=2/);
  await page.getByRole('heading', { name: `Compare revisions: ${TITLE}` }).waitFor();
  await visible(page.locator('ins').filter({ hasText: 'ifosfamide' }).first());
  await visible(
    page
      .getByRole('region', { name: 'Patient version' })
      .locator('ins')
      .filter({ hasText: 'did not help people live longer' })
      .first(),
  );
  await noLoading(page);
  await audit.check(page, 'compare');
  await shoot(page, 'compare', audit, () => page.locator('ins').first().waitFor());
  await page.goBack();
  await page.getByRole('button', { name: 'Approve revision 2' }).waitFor();
  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.getByText('No open blocking comment.').waitFor();
  await focusIsOn(page, 'the comments after the resolve', FOCUS_KEPT);
  await page.getByRole('button', { name: 'Approve revision 2' }).click();
  await passwordIn(dialog).fill(REVIEWER_1.password);
  await dialog.getByRole('button', { name: 'Approve revision 2' }).last().click();
  await page.getByText('You approved revision 2').first().waitFor();
  log(`${REVIEWER_1.name} compared, resolved and signed with a password (${seconds(t)})`);

  // --- reviewer 2 approves
  t = performance.now();
  const r2 = await signIn(browser, origin, REVIEWER_2);
  page = r2.page;
  await page.goto(`${origin}/app/articles/${articleId}/review`);
  await page.getByRole('button', { name: 'Approve revision 2' }).click();
  await passwordIn(page.getByRole('dialog')).fill(REVIEWER_2.password);
  await page.getByRole('dialog').getByRole('button', { name: 'Approve revision 2' }).last().click();
  // The final approval (contract §19): when readers get it, and where, with the focus on it.
  const approvedHeading = page.getByRole('dialog').getByRole('heading', { name: /^Approved — (will be )?published/ });
  await approvedHeading.waitFor();
  await focusIsOn(page, 'the approval outcome', `/^Approved — /.test(document.activeElement?.textContent ?? '')`);
  await visible(page.getByRole('dialog').getByRole('link', { name: `/read/${SLUG}` }));
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  await page.getByText('You approved revision 2').first().waitFor();
  await focusIsOn(page, 'the workspace after the dialog', FOCUS_KEPT);
  log(`${REVIEWER_2.name} approved (${seconds(t)})`);

  // --- the overview lists both signatures (name, credentials, meaning, time, content hash)
  await page.goto(`${origin}/app/articles/${articleId}`);
  const signatures = await visible(page.getByRole('list', { name: 'Signatures' }));
  await noLoading(page);
  const signed = await signatures.innerText();
  for (const r of [REVIEWER_1, REVIEWER_2])
    assert(signed.includes(`Approved by ${r.name}, ${r.credentials}, on`), `the overview lists ${r.name}'s signature`);
  await audit.check(page, 'article overview (signatures)');

  // --- timeline and audit log
  page = r1.page;
  await page.goto(`${origin}/app/articles/${articleId}/timeline`);
  await page.getByRole('heading', { name: `Timeline: ${TITLE}` }).waitFor();
  await noLoading(page);
  await audit.check(page, 'timeline');

  // --- the reader page, once the worker has published
  t = performance.now();
  await waitFor('the reader page', async () => (await fetch(`${origin}/read/${SLUG}`)).status === 200, 30_000, 250);
  log(`reader page live (waited ${seconds(t)} after the timeline)`);
  const html = await (await fetch(`${origin}/read/${SLUG}`)).text();
  assert(
    !/<script(?![^>]*type="application\/ld\+json")/i.test(html),
    'the reader page runs no JavaScript (JSON-LD data only)',
  );
  const reader = await browser.newContext({ viewport: WIDE, locale: 'en-GB', timezoneId: 'UTC' });
  await reader.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const readerPage = await reader.newPage();
  await readerPage.goto(`${origin}/read/${SLUG}`);
  const readerText = await readerPage.locator('body').innerText();
  const expected = [
    TITLE,
    'Approved — reviewed by the Medical Advisory Board',
    'Medically reviewed by',
    REVIEWER_1.name,
    REVIEWER_1.credentials,
    REVIEWER_2.name,
    REVIEWER_2.credentials,
    'Page last reviewed',
    'Next review due',
    REFERENCES[0].title,
    REFERENCES[1].title,
    'adding ifosfamide did not help',
  ];
  for (const piece of expected) assert(readerText.includes(piece), `the reader page shows “${piece}”`);
  // Each approval as its signature (contract §12): "Approved by Dr Ada Lovelace, MD, PhD, on 28 November 2026".
  for (const r of [REVIEWER_1, REVIEWER_2]) {
    const signature = new RegExp(`Approved by ${r.name}, ${r.credentials}, on \\d{1,2} [A-Z][a-z]+ \\d{4}`);
    assert(signature.test(readerText), `the reader page shows ${r.name}'s signature (“Approved by …, on <date>”)`);
  }
  const dates = await readerPage.locator('time[datetime]').count();
  assert(dates >= 2, 'the reader page has its review dates as <time datetime>');
  await audit.check(readerPage, 'reader page');
  await shoot(readerPage, 'reader', audit, () => readerPage.locator('.badge').waitFor());
  for (const audience of ['patient', 'caregiver']) {
    await readerPage.goto(`${origin}/read/${SLUG}?audience=${audience}`);
    await audit.check(readerPage, `reader page (${audience})`);
  }
  await reader.close();
  await readerChoosesPatient(browser, origin);

  // --- the admin rewrites the editorial policy; readers see it at /read/editorial-policy
  await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Editorial policy' }).click();
  await adminPage.getByRole('heading', { name: 'Editorial policy', level: 1 }).waitFor();
  await noLoading(adminPage);
  const policy = adminPage.getByRole('textbox', { name: 'Policy' });
  await policy.fill(`## How we review\n\n${POLICY_SENTENCE}\n\nWe correct errors as soon as we find them.`);
  await visible(adminPage.getByRole('region', { name: 'Preview' }).getByRole('heading', { name: 'How we review' }));
  await audit.check(adminPage, 'editorial policy');
  await adminPage.getByRole('button', { name: 'Save the policy' }).click();
  await adminPage.getByText(/^Saved at .*Readers see it now\.$/).waitFor();
  const policyPage = await (await fetch(`${origin}/read/editorial-policy`)).text();
  assert(policyPage.includes(POLICY_SENTENCE), 'readers see the saved editorial policy at /read/editorial-policy');

  await adminPage.goto(`${origin}/app/admin/audit`);
  await adminPage.getByRole('heading', { name: 'Audit log' }).waitFor();
  await visible(adminPage.getByText(/Chain verified: \d+ entries/));
  await noLoading(adminPage);
  await audit.check(adminPage, 'audit');
  await shoot(adminPage, 'audit', audit, () => adminPage.getByText(/Chain verified/).waitFor());

  for (const c of [editor.context, admin.context, r1.context, r2.context]) await c.close();
}

/**
 * A reader with JavaScript off (contract §13): "Which best describes you?" is links with `?audience=`,
 * the page is the chosen version, and the choice is remembered in the `audience` cookie. Screenshots of
 * the page for each audience at 1280 px: professional, patient, and caregiver (which this article
 * lacks: the professional text, saying so).
 */
async function readerChoosesPatient(browser: Browser, origin: string): Promise<void> {
  const context = await browser.newContext({
    viewport: WIDE,
    locale: 'en-GB',
    timezoneId: 'UTC',
    javaScriptEnabled: false,
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const choose = async (label: string) => {
    const choice = page
      .getByRole('region', { name: /Which best describes you\?/ })
      .getByRole('link', { name: label, exact: true });
    await choice.click();
    await page.waitForLoadState('load');
  };
  const text = () => page.locator('body').innerText();

  await page.goto(`${origin}/read/${SLUG}`);
  assert(
    (await text()).includes('Surgery with clear margins'),
    'without a choice, the reader page is the professional text',
  );
  await choose('Patient');
  assert(/[?&]audience=patient\b/.test(page.url()), `choosing Patient asks for ?audience=patient (at ${page.url()})`);
  let shown = await text();
  assert(shown.includes(PATIENT_SENTENCE), 'the reader who chose Patient reads the patient version');
  assert(shown.includes(PATIENT_ADDED), 'the patient version is the published revision’s');
  assert(!shown.includes('Surgery with clear margins'), 'the patient page does not show the professional body');
  assert(
    (await page.getByRole('heading', { level: 1 }).innerText()).trim() === PATIENT_TITLE,
    'the patient page has the patient title',
  );
  const cookie = (await context.cookies(`${origin}/read/${SLUG}`)).find((c) => c.name === 'audience');
  assert(cookie?.value === 'patient', `the choice is kept in the audience cookie (got ${cookie?.value ?? 'none'})`);

  // The next visit, without ?audience=: the remembered choice.
  await page.goto(`${origin}/read/${SLUG}`);
  shown = await text();
  assert(shown.includes(PATIENT_SENTENCE), 'the next visit remembers the choice of Patient (cookie)');
  assert(
    (await page.getByRole('link', { name: 'Patient', exact: true }).getAttribute('aria-current')) === 'true',
    'the remembered choice is marked as the current one',
  );
  await shootWide(page, 'reader-patient');

  await choose('Caregiver');
  shown = await text();
  assert(/not yet available for caregivers/i.test(shown), 'an audience the article lacks falls back, and says so');
  assert(shown.includes('Surgery with clear margins'), 'the fallback is the professional text');
  await shootWide(page, 'reader-caregiver');

  await choose('Healthcare professional');
  shown = await text();
  assert(shown.includes('Surgery with clear margins'), 'Healthcare professional is the professional text');
  assert(!shown.includes(PATIENT_SENTENCE), 'the professional page does not show the patient body');
  await shootWide(page, 'reader-professional');
  log('a reader without JavaScript chose Patient, was remembered, and tried Caregiver and Healthcare professional');
  await context.close();
}

async function expectValue(locator: Locator, value: string): Promise<void> {
  await waitFor('the loaded text', async () => (await locator.inputValue()) === value, TIMEOUT_MS, 100);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    log(`did not finish within ${WATCHDOG_MS / 1000} s`);
    process.exitCode = 2;
    void cleanup().finally(() => process.exit(2));
  }, WATCHDOG_MS);
  watchdog.unref();

  if (
    !existsSync(join(ROOT, 'dist/apps/api/main.js')) ||
    !existsSync(join(ROOT, 'dist/apps/worker/main.js')) ||
    !existsSync(join(ROOT, 'dist/web/index.html'))
  ) {
    log('dist/ is incomplete: npm run build');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  mkdirSync(SHOTS, { recursive: true });

  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const suffix = randomBytes(4).toString('hex');
  const dbName = `imprimatur_browser_${suffix}`;
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${dbName}`;
  const adminUrl = new URL(base.toString());
  adminUrl.pathname = '/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `imprimatur-browser-${suffix}`;
  // The processes connect as an application role of the story's own, as `npm start` makes one.
  const appRole = `imprimatur_browser_app_${suffix}`;

  const procs: Proc[] = [];
  let browser: Browser | null = null;
  let web: Awaited<ReturnType<typeof startLocalWeb>> | null = null;
  let dbCreated = false;
  const audit = new Audit();
  let cleaning: Promise<void> | null = null;
  cleanup = () => (cleaning ??= cleanUp());
  const cleanUp = async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ['browser', async () => browser?.close()],
      ['processes', async () => Promise.all(procs.map((p) => p.stop()))],
      ['local web', async () => new Promise<void>((r) => (web ? web.server.close(() => r()) : r()))],
      ['database', async () => (dbCreated ? dropDatabase(adminUrl.toString(), dbName, appRole) : undefined)],
      [
        'redis keys',
        async () => log(`deleted ${await deleteKeys(redisUrl, queuePrefix)} Redis keys under ${queuePrefix}`),
      ],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        log(`clean-up of ${name} failed: ${String(error)}`);
      }
    }
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let failed: unknown = null;
  try {
    log(`database ${dbName}, queue prefix ${queuePrefix}`);
    dbCreated = true;
    await prepareDatabase(dbUrl.toString());
    web = await startLocalWeb();
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST,
      PORT: String(port),
      DATABASE_URL: dbUrl.toString(),
      APP_DATABASE_ROLE: appRole,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      OUTBOUND_ALLOW_HOSTS: HOST,
      LINK_CHECK_HOST_SPACING_MS: '0',
      REQUIRED_SIGNOFFS: '2',
      DOI_RESOLVER_URL: web.url('/doi'),
      PUBMED_URL: web.url('/pubmed'),
      // Never the real registries (contract §16): a revision citing a DOI or PMID is looked up here.
      CROSSREF_API_URL: web.url('/crossref'),
      EUTILS_URL: web.url('/eutils'),
    };
    procs.push(Proc.start('api', 'dist/apps/api/main.js', env), Proc.start('worker', 'dist/apps/worker/main.js', env));
    const origin = `http://${HOST}:${port}`;
    await waitFor(
      'the API',
      async () => {
        const dead = procs.find((p) => p.exited);
        if (dead) throw new Error(`${dead.name} exited: ${dead.output.join('')}`);
        return (await fetch(`${origin}/health/ready`)).ok;
      },
      30_000,
      150,
    ).catch((error: Error) => {
      if (/exited/.test(error.message)) throw error;
      throw new Error(`${error.message}\n${procs.map((p) => `${p.name}: ${p.output.join('')}`).join('\n')}`);
    });
    log(`API on ${origin} (${seconds(started)})`);

    const token = (
      await call<{ accessToken: string }>(origin, 'POST', '/auth/login', null, {
        email: ADMIN.email,
        password: ADMIN.password,
      })
    ).accessToken;
    await call(origin, 'POST', '/users', token, {
      email: EDITOR.email,
      password: EDITOR.password,
      name: EDITOR.name,
      roles: ['editor'],
    });
    for (const r of [REVIEWER_1, REVIEWER_2]) {
      await call(origin, 'POST', '/users', token, {
        email: r.email,
        password: r.password,
        name: r.name,
        roles: ['reviewer'],
        credentials: r.credentials,
        specialties: ['oncology'],
      });
    }

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    await story(browser, origin, web, audit);
    // Issue #19 counted about 100 actions for this story before its changes.
    log(`the whole story took ${actions} actions (clicks, fills, choices, key presses, drags, typed addresses)`);
    const dead = procs.find((p) => p.exited);
    if (dead) throw new Error(`${dead.name} exited during the story`);
  } catch (error) {
    failed = error;
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const p of procs) {
      const out = p.output.join('').trim();
      if (out) log(`${p.name} output (last lines):\n${out.split('\n').slice(-30).join('\n')}`);
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  process.stdout.write(`${audit.summary()}\n`);
  const blocking = audit.blocking;
  if (blocking.length > 0) log(`${blocking.length} serious or critical axe violation(s)`);
  const ok = !failed && blocking.length === 0;
  log(`${ok ? 'PASSED' : 'FAILED'} in ${seconds(started)}`);
  return ok ? 0 : 1;
}

let cleanup: () => Promise<void> = async () => undefined;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(String(error));
    void cleanup().finally(() => process.exit(1));
  },
);
