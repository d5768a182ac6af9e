// The console's governance and usage pages (issues 21 and 22) in Debian's chromium against the real services:
// a key's spend against its budget as a bar and its settings edited (a refused budget shown beside its field, an
// unknown model warned about), an admin giving a user a budget on the Users page, the Usage charts and the Logs
// table after calls just made, with older pages and a call's details. Screenshots land in test-artifacts/web/.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GATEWAY_URL, REPO_ROOT, testSecrets, api, signUp, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts/web');
const RUN = Date.now().toString(36);
const MODEL = `gov-console-model-${RUN}`;
const KEY_NAME = `gov-console-key-${RUN}`;
/** more than a page of the Logs table (50), so that "Older calls" has something to load */
const CALLS = 53;
const BUDGET_USD = 1;

interface KeyView {
  id: string;
  name: string;
  allowedModels: string[] | null;
  budget: { limitUsd: number; period: string } | null;
  spend: { periodUsd: number | null; totalUsd: number; resetsAt: string | null };
}

describe('the console: budgets, users, usage and logs', () => {
  let browser: Browser;
  let page: Page;
  let sim: SimInstance;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let member: Awaited<ReturnType<typeof signUp>>;
  let keyId: string;
  const problems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
  const openPage = async (link: string) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: link, exact: true }).waitFor();
  };
  const myKey = async () => (await api<KeyView[]>('GET', '/api/v1/auth/api-keys', { token: admin.accessToken })).body.find((k) => k.id === keyId)!;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [sim, admin, member, browser] = await Promise.all([
      // priced, so that every call costs something against the key's budget
      addSimInstance(`gov-console-sim-${RUN}`, { models: [MODEL] }, { prices: { [MODEL]: { inputPerMTok: 100, outputPerMTok: 100 } } }),
      signUp('gov-console-admin', undefined, 'admin'),
      signUp('gov-console-member'),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }),
    ]);
    await waitForModel(MODEL);
    const created = await api<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', {
      token: admin.accessToken,
      body: { name: KEY_NAME, scopes: ['chat'], budget: { limitUsd: BUDGET_USD, period: 'day' } },
    });
    expect(created.status).toBe(201);
    keyId = created.body.id;
    // the calls the pages are to show, a few at a time
    for (let i = 0; i < CALLS; i += 8) {
      const batch = Array.from({ length: Math.min(8, CALLS - i) }, (_, j) =>
        api('POST', '/api/v1/chat/completions', { token: created.body.key, body: { model: MODEL, messages: [{ role: 'user', content: `governance call ${i + j}` }] } }),
      );
      for (const answer of await Promise.all(batch)) expect(answer.status).toBe(200);
    }
    await waitFor('every call in the request log', async () => {
      const logs = await api<unknown[]>('GET', `/api/v1/logs?limit=200&model=${MODEL}`, { token: admin.accessToken });
      return logs.status === 200 && logs.body.length >= CALLS;
    }, 15_000, 200);
    await waitFor('the key to have spent', async () => ((await myKey()).spend.periodUsd ?? 0) > 0, 10_000, 200);

    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: GATEWAY_URL })).newPage();
    // a step that cannot happen fails naming its locator, well before the test's own timeout
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto('/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Chat', exact: true }).waitFor();
  }, 120_000);

  afterAll(async () => {
    if (problems.length > 0) console.log(problems.join('\n'));
    await browser?.close();
    await sim?.close();
  });

  it("shows a key's spend against its budget as a bar, and edits its budget and models", async () => {
    await openPage('API keys');
    const row = page.getByRole('row', { name: KEY_NAME, exact: true });
    const bar = row.getByRole('meter', { name: `Spend of ${KEY_NAME}` });
    await bar.waitFor();
    const spent = (await myKey()).spend.periodUsd ?? 0;
    expect(Number(await bar.getAttribute('value'))).toBeCloseTo(spent, 6);
    expect(Number(await bar.getAttribute('max'))).toBe(BUDGET_USD);
    await row.getByText(/of \$1\.00 today/).waitFor();
    await shot('api-keys-spend');

    await row.getByRole('button', { name: `Edit ${KEY_NAME}` }).click();
    const edit = page.getByRole('region', { name: `Edit ${KEY_NAME}` });
    // the API refuses a budget of nothing: the message stands beside the budget field
    await edit.getByLabel('Budget (USD)').fill('0');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const refused = edit.locator('.field--invalid').filter({ has: page.getByLabel('Budget (USD)') });
    await refused.getByText(/limitUsd/).waitFor();
    expect(await edit.getByLabel('Budget (USD)').getAttribute('aria-invalid')).toBe('true');

    await edit.getByLabel('Budget (USD)').fill('2.5');
    await edit.getByLabel('Budget period').selectOption('week');
    await edit.getByRole('group', { name: 'Served now' }).getByRole('checkbox', { name: MODEL, exact: true }).check();
    await edit.getByLabel('Models', { exact: true }).fill(`${await edit.getByLabel('Models', { exact: true }).inputValue()}, no-such-model-${RUN}`);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText(`Saved ${KEY_NAME}.`).waitFor();
    // kept, but named as routing to nothing
    await edit.getByRole('status').filter({ hasText: `no-such-model-${RUN}` }).waitFor();
    const saved = await myKey();
    expect(saved.budget).toEqual({ limitUsd: 2.5, period: 'week' });
    expect(saved.allowedModels).toEqual([MODEL, `no-such-model-${RUN}`]);
    await row.getByText(/of \$2\.50 this week/).waitFor();
    expect(Number(await bar.getAttribute('max'))).toBe(2.5);
    await shot('api-keys-edit');
  }, 30_000);

  it('lets an admin give a user a budget on the Users page', async () => {
    await openPage('Users');
    const row = page.getByRole('row', { name: member.email, exact: true });
    await row.getByText('no budget').waitFor();
    await row.getByRole('button', { name: `Edit ${member.email}` }).click();
    const edit = page.getByRole('region', { name: `Edit ${member.email}` });
    await edit.getByLabel('Budget (USD)').fill('5');
    await edit.getByLabel('Budget period').selectOption('month');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText(`Saved ${member.email}.`).waitFor();
    await row.getByRole('meter', { name: `Spend of ${member.email}` }).waitFor();
    await row.getByText('$0.00 of $5.00 this month').waitFor();
    const users = (await api<{ id: string; budget: unknown }[]>('GET', '/api/v1/admin/users', { token: testSecrets().adminApiKey })).body;
    expect(users.find((u) => u.id === member.userId)?.budget).toEqual({ limitUsd: 5, period: 'month' });
    await shot('users');
  }, 30_000);

  it('hides the Users page from a plain user', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: GATEWAY_URL });
    const plain = await context.newPage();
    try {
      await plain.goto('/');
      await plain.getByLabel('Email').fill(member.email);
      await plain.getByLabel('Password', { exact: true }).fill(member.password);
      await plain.getByRole('button', { name: 'Sign in', exact: true }).click();
      const menu = plain.getByRole('navigation', { name: 'Console' });
      await menu.getByRole('link', { name: 'Usage', exact: true }).waitFor();
      expect(await menu.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
      await plain.goto('/users');
      await plain.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    } finally {
      await context.close();
    }
  }, 30_000);

  it('charts the calls just made on the Usage page, by model and by key', async () => {
    await openPage('Usage');
    const requests = page.getByRole('figure', { name: 'Requests per day by model' });
    await requests.waitFor();
    // recharts drew bars: one path per bucket and model that had calls
    await waitFor('bars in the requests chart', async () => (await requests.locator('.recharts-bar-rectangle path').count()) > 0, 10_000, 100);
    const byModel = page.getByRole('table', { name: 'Usage by model over the range, costliest first' });
    const modelRow = byModel.getByRole('row', { name: MODEL, exact: true });
    expect(await modelRow.getByRole('cell').nth(0).textContent()).toBe(String(CALLS));
    expect(await page.getByRole('figure', { name: 'Cost (USD) per day by model' }).locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    await shot('usage');

    await page.getByLabel('Group by').selectOption('apiKey');
    await page.getByLabel('Interval').selectOption('hour');
    const byKey = page.getByRole('table', { name: 'Usage by API key over the range, costliest first' });
    await byKey.getByRole('row', { name: KEY_NAME, exact: true }).waitFor();
    expect(await byKey.getByRole('row', { name: KEY_NAME, exact: true }).getByRole('cell').nth(0).textContent()).toBe(String(CALLS));
    await page.getByRole('figure', { name: 'Tokens per hour by API key' }).locator('.recharts-bar-rectangle path').first().waitFor();
    await shot('usage-by-key');
  }, 30_000);

  it('lists the calls on the Logs page, filters them, pages to older ones and opens one', async () => {
    await openPage('Logs');
    await page.getByRole('region', { name: 'Filter' }).getByLabel('Model').fill(MODEL);
    const filtered = page.waitForResponse((response) => response.url().includes(`/api/v1/logs?limit=50&model=${MODEL}`));
    await page.getByRole('button', { name: 'Show calls' }).click();
    await filtered;
    const calls = page.getByRole('table', { name: 'Calls, newest first' });
    const rows = calls.locator('tbody tr');
    await waitFor('a page of the model\'s calls', async () => (await rows.count()) === 50, 10_000, 100);
    await page.getByRole('button', { name: 'Older calls' }).click();
    // every entry of the model, as the API lists them in one go
    const all = (await api<{ id: string }[]>('GET', `/api/v1/logs?limit=200&model=${MODEL}`, { token: admin.accessToken })).body;
    expect(all.length).toBeGreaterThanOrEqual(CALLS);
    await waitFor('the older calls below', async () => (await rows.count()) === all.length, 10_000, 100);
    // no call twice across the pages, none skipped, and the last page ends the paging
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('aria-label')));
    expect(ids).toEqual(all.map((entry) => `Call ${entry.id}`));
    expect(await page.getByRole('button', { name: 'Older calls' }).count()).toBe(0);

    const newest = (await api<{ id: string; requestId: string }[]>('GET', `/api/v1/logs?limit=1&model=${MODEL}`, { token: admin.accessToken })).body[0];
    await calls.getByRole('button', { name: `Details of call ${newest.id}` }).click();
    const details = page.getByRole('region', { name: `Call ${newest.id}` });
    const facts = details.getByRole('definition');
    await details.getByText('/api/v1/chat/completions').waitFor();
    expect(await facts.allTextContents()).toEqual(expect.arrayContaining([MODEL, newest.requestId, KEY_NAME]));
    await shot('logs');

    await page.getByRole('region', { name: 'Filter' }).getByLabel('Status').fill('error');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await page.getByText('No calls match.').waitFor();
    // no script error and no Content-Security-Policy violation (the budget refused on purpose aside)
    expect(problems.filter((p) => !/400 \(Bad Request\)/.test(p))).toEqual([]);
  }, 30_000);
});
