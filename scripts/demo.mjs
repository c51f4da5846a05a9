#!/usr/bin/env node
// `npm run demo`: walks one article through Imprimatur against a running instance and shows what
// readers and webhook subscribers get. Needs the instance's admin (ADMIN_EMAIL / ADMIN_PASSWORD) and
// OUTBOUND_ALLOW_HOSTS=127.0.0.1 on the instance, because the demo serves the article's reference
// pages and receives the webhook on this machine's loopback.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const API = (process.env.DEMO_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const ADMIN = { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD };
const TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 60_000);

const say = (text) => process.stdout.write(`${text}\n`);
const fail = (text) => {
  process.stderr.write(`demo: ${text}\n`);
  process.exit(1);
};

async function call(method, path, { token, body, expect = [200, 201, 202, 204] } = {}) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!expect.includes(res.status)) fail(`${method} ${path} answered ${res.status}: ${data?.message ?? text}`);
  return data;
}

async function until(what, probe) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      fail(
        `gave up waiting for ${what} after ${TIMEOUT_MS / 1000} s (is the worker running, with OUTBOUND_ALLOW_HOSTS=127.0.0.1?)`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The reference pages the article cites and the webhook receiver, on loopback. */
function startLocalWeb(received) {
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/webhook') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Reference</h1>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  if (!ADMIN.email || !ADMIN.password)
    fail('set ADMIN_EMAIL and ADMIN_PASSWORD to the admin the instance was started with');
  const received = [];
  const web = await startLocalWeb(received);
  const local = `http://127.0.0.1:${web.address().port}`;
  const tag = randomBytes(3).toString('hex');

  say(`Imprimatur demo against ${API}\n`);
  const admin = (await call('POST', '/auth/login', { body: ADMIN })).accessToken;

  const people = {};
  for (const [key, name, roles, credentials] of [
    ['editor', 'Erin Editor', ['editor'], null],
    ['reviewerA', 'Dr Amara Okafor', ['reviewer'], 'MD, FRCP'],
    ['reviewerB', 'Dr Jonas Lindqvist', ['reviewer'], 'MD, PhD'],
  ]) {
    const email = `${key.toLowerCase()}-${tag}@demo.imprimatur.test`;
    const password = randomBytes(12).toString('base64url');
    const user = await call('POST', '/users', {
      token: admin,
      body: { email, name, password, roles, ...(credentials ? { credentials } : {}), specialties: ['oncology'] },
    });
    people[key] = {
      ...user,
      password,
      token: (await call('POST', '/auth/login', { body: { email, password } })).accessToken,
    };
    say(`created ${roles[0].padEnd(8)} ${email}  password: ${password}`);
  }

  const hook = await call('POST', '/webhooks', {
    token: admin,
    body: { url: `${local}/webhook`, events: ['article.published'] },
  });
  say(`\nwebhook subscription ${hook.id} → ${hook.url} (secret ${hook.secret.slice(0, 12)}…, shown once)`);

  const article = await call('POST', '/articles', {
    token: people.editor.token,
    body: {
      title: `Can leiomyosarcoma be treated? (demo ${tag})`,
      summary:
        'Yes: localised tumours are removed surgically, and advanced disease is treated with chemotherapy [1, 2].',
      body: [
        '## From the Guidelines',
        '',
        'For a leiomyosarcoma that has not spread, the guidelines recommend surgery that removes the whole tumour with a margin of healthy tissue [1].',
        'Radiotherapy before or after surgery is considered for large or deep tumours [1].',
        '',
        '## From the Research',
        '',
        'When the disease has spread, chemotherapy based on doxorubicin is the usual first treatment [2].',
        'Later options, such as trabectedin, can slow the disease for some patients [3].',
      ].join('\n'),
      references: [
        {
          type: 'guideline',
          title: 'Soft tissue sarcoma: clinical practice guideline (demo page)',
          source: 'Demo Guidelines Library',
          year: 2024,
          url: `${local}/guideline`,
        },
        {
          type: 'research',
          title: 'First-line chemotherapy in advanced leiomyosarcoma (demo page)',
          source: 'Demo Journal of Oncology',
          year: 2023,
          url: `${local}/research-1`,
        },
        {
          type: 'research',
          title: 'Second-line options in soft tissue sarcoma (demo page)',
          source: 'Demo Sarcoma Reviews',
          year: 2022,
          url: `${local}/research-2`,
        },
      ],
      specialties: ['oncology'],
      changeNote: 'First draft',
    },
  });
  say(`\narticle ${article.slug} created (state ${article.state}, revision ${article.currentRevision})`);

  await call('PUT', `/articles/${article.id}/reviewers`, {
    token: admin,
    body: { reviewerIds: [people.reviewerA.id, people.reviewerB.id] },
  });
  await call('POST', `/articles/${article.id}/submit`, { token: people.editor.token, body: {} });
  await call('POST', `/articles/${article.id}/start-review`, { token: people.reviewerA.token });
  say('reviewers assigned, submitted, review started');

  const checked = await until('the link check', async () => {
    const view = await call('GET', `/articles/${article.id}`, { token: admin });
    return view.checks.links === 'pending' ? null : view;
  });
  say(`checks: ${JSON.stringify(checked.checks)}`);
  if (checked.checks.links === 'failed')
    fail(
      'the links check failed: start the instance with OUTBOUND_ALLOW_HOSTS=127.0.0.1 so it may fetch the demo pages',
    );

  // A sign-off is an electronic signature: it names the exact content hash and re-enters the password.
  const { currentContentHash } = await call('GET', `/articles/${article.id}`, { token: admin });
  for (const key of ['reviewerA', 'reviewerB']) {
    const result = await call('POST', `/articles/${article.id}/signoffs`, {
      token: people[key].token,
      body: {
        decision: 'approve',
        revision: 1,
        contentHash: currentContentHash,
        password: people[key].password,
        note: 'Accurate and up to date.',
      },
    });
    say(`${people[key].name} approved revision 1 → article ${result.article.state}`);
  }

  const live = await until('publication', async () => {
    const res = await fetch(`${API}/public/articles/${article.slug}`);
    return res.status === 200 ? { doc: await res.json(), etag: res.headers.get('etag') } : null;
  });
  say(`\npublished version ${live.doc.version}: ${API}/public/articles/${article.slug}  (ETag ${live.etag})`);
  say(
    `reviewed by ${live.doc.reviewedBy.map((r) => `${r.name}${r.credentials ? `, ${r.credentials}` : ''}`).join('; ')} · last reviewed ${live.doc.lastReviewed} · next review due ${live.doc.nextReviewDue}`,
  );

  const delivery = await until('the webhook', async () => received[0]);
  const verified = (() => {
    try {
      new Webhook(hook.secret).verify(delivery.body, delivery.headers);
      return 'signature verified';
    } catch (error) {
      return `signature NOT verified: ${error.message}`;
    }
  })();
  say(`\nwebhook received (${verified}):`);
  say(
    `  webhook-id: ${delivery.headers['webhook-id']}\n  webhook-timestamp: ${delivery.headers['webhook-timestamp']}\n  webhook-signature: ${delivery.headers['webhook-signature']}`,
  );
  say(`  ${delivery.body}`);
  web.close();
}

main().catch((error) => fail(error.stack ?? String(error)));
