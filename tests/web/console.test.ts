// The operator console (apps/web) end to end: Debian's chromium, driven by playwright-core, opens the
// console the test gateway serves at / and works against the real services: sign in, a streamed chat
// reply, an instance turning unhealthy when its provider simulator fails, getprop on a simulated
// device, an API key created (shown once) and revoked. Locators go by role and label, so they also
// check that the controls are labelled. Screenshots of every page land in test-artifacts/web/.
import Adb from '@devicefarmer/adbkit';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { RoutingPolicyView } from '@ish/contracts';
import { AdbDeviceSim, startAdbDeviceSim } from '@ish/adb-device-sim';
import { GATEWAY_URL, REPO_ROOT, TEST_STACK, testSecrets, api, signUp, addSimInstance, SimInstance, waitForModel, waitFor, WebhookReceiver } from '@ish/test-support';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(REPO_ROOT, 'test-artifacts/web');
const RUN = Date.now().toString(36);
const INSTANCE = `console-sim-${RUN}`;
const MODEL = `console-model-${RUN}`;
const PHONE_MODEL = 'Console Pixel';
const KEY_NAME = `console-key-${RUN}`;
const DESKTOP = { width: 1280, height: 860 };
/** what the page scripts below read (this project compiles without the DOM library) */
type InPage = { sessionStorage: { getItem(key: string): string | null }; localStorage: { length: number }; innerWidth: number; document: { documentElement: { scrollWidth: number } } };
const PHONE = { width: 390, height: 844 };

describe('the operator console in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sim: SimInstance;
  let device: AdbDeviceSim;
  let operator: Awaited<ReturnType<typeof signUp>>;
  let receiver: WebhookReceiver;
  let webhookSecret: string;
  const problems: string[] = [];
  const adb = Adb.createClient({ host: '127.0.0.1', port: Number(TEST_STACK.ADB_PORT) });
  adb.on('error', () => undefined);

  const shot = (name: string) => page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
  const openPage = async (link: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  };
  /** the text of `locator` once `accept` holds for it */
  const textWhen = (locator: Locator, what: string, accept: (text: string) => boolean, timeoutMs = 15_000) =>
    waitFor(what, async () => {
      const text = await locator.textContent({ timeout: 1000 }).catch(() => null);
      return text !== null && accept(text) ? text : undefined;
    }, timeoutMs, 100);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const admin = testSecrets().adminApiKey;
    [sim, device, operator, receiver, browser] = await Promise.all([
      // a visible pause between chunks, so the reply is seen growing
      addSimInstance(INSTANCE, { models: [MODEL], streamChunkDelayMs: 120 }),
      startAdbDeviceSim({ model: PHONE_MODEL, product: 'console_sim', sdk: 34, batteryLevel: 76 }),
      signUp('console-operator'),
      WebhookReceiver.start(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }),
    ]);
    // the operator signs in with email and password as an admin (registration makes plain users)
    const promoted = await api('PATCH', `/api/v1/admin/users/${operator.userId}`, { token: admin, body: { role: 'admin' } });
    expect(promoted.status).toBe(200);
    await waitForModel(MODEL);
    await waitFor(`${INSTANCE} to be probed healthy`, async () => (await api<{ status: string }>('GET', `/api/v1/instances/${sim.id}`, { token: admin })).body.status === 'healthy', 10_000);

    context = await browser.newContext({ viewport: DESKTOP, baseURL: GATEWAY_URL });
    page = await context.newPage();
    // a script error or a Content-Security-Policy violation shows up here
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await adb.disconnect(`127.0.0.1:${device?.port}`).catch(() => undefined);
    await Promise.allSettled([sim?.close(), device?.close(), receiver?.down()]);
  });

  it('signs in with email and password, keeps the session in this tab only, and goes live', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in to ISH Chat', exact: true }).waitFor();
    await shot('sign-in');
    await page.getByLabel('Email').fill(operator.email);
    await page.getByLabel('Password', { exact: true }).fill(operator.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: 'Chat', exact: true }).waitFor();
    await page.waitForURL((url) => url.pathname === '/chat');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText(operator.email).waitFor();
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as InPage;
      return { session: w.sessionStorage.getItem('ish.console.credential'), local: w.localStorage.length };
    });
    expect(JSON.parse(stored.session ?? '{}')).toEqual({ kind: 'session', accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(stored.local).toBe(0);
  }, 30_000);

  it('streams a chat reply from the chosen model, visibly growing before it is complete', async () => {
    await page.getByLabel('Model').selectOption(MODEL);
    await page.getByLabel('Message', { exact: true }).fill('hello from the console playground');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const expected = `[provider-sim ${INSTANCE}] hello from the console playground`;
    const reply = page.getByRole('listitem').filter({ hasText: 'Assistant' });
    // while the stream is open the bubble is busy and holds part of the reply
    const partial = await waitFor('a partial reply', async () => {
      const state = await reply.evaluate((item) => ({ busy: item.getAttribute('aria-busy'), text: item.querySelector('.message-text')?.textContent ?? '' })).catch(() => undefined);
      return state && state.busy === 'true' && state.text.length > 0 ? state.text : undefined;
    }, 15_000, 20);
    expect(expected.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(expected.length);

    await textWhen(reply, 'the complete reply', (text) => text.includes(expected) && text.includes('tokens'));
    expect(await reply.getAttribute('aria-busy')).toBeNull();
    await shot('chat');
  }, 30_000);

  it('shows an instance turn unhealthy, with its circuit open, when its provider starts failing', async () => {
    await openPage('Instances', 'Instances');
    const row = page.getByRole('row', { name: INSTANCE, exact: true });
    await row.getByText('healthy', { exact: true }).waitFor();
    await row.getByRole('img', { name: new RegExp(`^p50 latency of ${INSTANCE}`) }).waitFor();
    await shot('instances');

    sim.sim.setFault({ mode: 'error500' });
    try {
      // live: the status_changed event (or the next refresh) turns the row without a reload
      await row.getByText('unhealthy', { exact: true }).waitFor({ timeout: 15_000 });
      await row.getByText('open', { exact: true }).waitFor({ timeout: 5000 });
      await shot('instances-unhealthy');
    } finally {
      sim.sim.clearFault();
    }
    // an operator takes it out of service and back
    await row.getByRole('button', { name: `Disable ${INSTANCE}` }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Enable ${INSTANCE}` }).click();
    await row.getByText('disabled', { exact: true }).waitFor({ state: 'detached' });
    await page.setViewportSize(PHONE);
    await shot('instances-phone');
    await page.setViewportSize(DESKTOP);
  }, 30_000);

  it('connects a simulated device, runs getprop on it and takes a screenshot', async () => {
    await openPage('Devices', 'Devices');
    const connect = page.getByRole('region', { name: 'Connect a device over TCP' });
    await connect.getByLabel('Host').fill('127.0.0.1');
    await connect.getByLabel('Port').fill(String(device.port));
    await connect.getByRole('button', { name: 'Connect', exact: true }).click();
    await connect.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

    const card = page.getByRole('article', { name: `Device ${PHONE_MODEL}` });
    await card.getByText('device', { exact: true }).waitFor();
    expect(await card.getByRole('meter', { name: `Battery of ${PHONE_MODEL}` }).getAttribute('value')).toBe('76');
    await card.getByLabel('Command', { exact: true }).selectOption('getprop');
    await card.getByLabel('Arguments', { exact: true }).fill('ro.product.model');
    await card.getByRole('button', { name: 'Run', exact: true }).click();
    const output = card.getByLabel(`Output of getprop on ${PHONE_MODEL}`);
    expect((await textWhen(output, 'the getprop output', (text) => text.trim() !== '')).trim()).toBe(PHONE_MODEL);
    await card.getByText(/exit code 0/).waitFor();

    await card.getByRole('button', { name: 'Take screenshot' }).click();
    const image = card.getByRole('img', { name: `Screenshot of ${PHONE_MODEL}` });
    await image.waitFor();
    await waitFor('the screenshot to be decoded', () => image.evaluate((img) => {
      const decoded = img as unknown as { complete: boolean; naturalWidth: number };
      return decoded.complete && decoded.naturalWidth > 0;
    }), 5000, 50);
    await shot('devices');
  }, 30_000);

  it('creates an API key, shows it once, and revokes it so that it stops working', async () => {
    await openPage('API keys', 'API keys');
    const create = page.getByRole('region', { name: 'Create a key' });
    await create.getByLabel('Key name').fill(KEY_NAME);
    await create.getByRole('checkbox', { name: 'instances:read' }).check();
    await create.getByLabel('Models').fill(' openai/*,  console-only-model ');
    await create.getByRole('button', { name: 'Create key' }).click();

    const secret = page.getByLabel(`API key ${KEY_NAME}`, { exact: true });
    const key = await secret.inputValue();
    expect(key).toMatch(/^ish_/);
    expect((await api('GET', '/api/v1/models', { token: key })).status).toBe(200);
    const row = page.getByRole('row', { name: KEY_NAME, exact: true });
    await row.getByRole('cell', { name: 'chat, instances:read' }).waitFor();
    await row.getByRole('cell', { name: 'openai/*, console-only-model' }).waitFor();
    expect((await api<{ allowedModels: string[] }>('GET', '/api/v1/auth/me', { token: key })).body.allowedModels).toEqual(['openai/*', 'console-only-model']);
    // shown once: dismissed, it is nowhere on the page; the list has the prefix only
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await secret.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(key);

    await row.getByRole('button', { name: `Revoke ${KEY_NAME}` }).click();
    await row.getByRole('button', { name: 'Revoke it' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    await waitFor('the revoked key to be refused', async () => (await api('GET', '/api/v1/models', { token: key })).status === 401, 5000, 100);
    await shot('api-keys');
  }, 30_000);

  it('subscribes a webhook endpoint, showing its signing secret once', async () => {
    await openPage('Webhooks', 'Webhooks');
    const add = page.getByRole('region', { name: 'Add a subscription' });
    await add.getByLabel('Endpoint URL').fill(receiver.url);
    expect(await add.getByRole('checkbox', { name: 'job.completed' }).isChecked()).toBe(true);
    await add.getByLabel('Description').fill('console test receiver');
    await add.getByRole('button', { name: 'Add subscription' }).click();
    const secret = page.getByLabel(`Signing secret for ${receiver.url}`, { exact: true });
    webhookSecret = await secret.inputValue();
    expect(webhookSecret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await secret.waitFor({ state: 'detached' });
    const subscription = page.getByRole('region', { name: 'Subscriptions' }).getByRole('listitem').filter({ hasText: receiver.url });
    await subscription.getByText('active', { exact: true }).waitFor();
  }, 30_000);

  it('lists the operator\'s jobs and shows the result of a queued chat job', async () => {
    await openPage('Jobs', 'Jobs');
    const queue = page.getByRole('region', { name: 'Queue a chat job' });
    await queue.getByLabel('Job model').selectOption(MODEL);
    await queue.getByLabel('Job message').fill('a job from the console');
    await queue.getByRole('button', { name: 'Queue job' }).click();
    await queue.getByRole('status').filter({ hasText: 'Queued job' }).waitFor();
    const jobs = page.getByRole('table', { name: 'Your jobs, newest first' });
    // the reply is the summary of the job's result
    await jobs.getByText(`[provider-sim ${INSTANCE}] a job from the console`, { exact: true }).waitFor({ timeout: 20_000 });
    await jobs.getByText('completed', { exact: true }).first().waitFor();
    await shot('jobs');
  }, 30_000);

  it('shows the signed delivery of the job\'s event and redelivers it', async () => {
    const [first] = await receiver.waitFor(1, 'a job from the console');
    expect(WebhookReceiver.verify<{ type: string }>(webhookSecret, first).type).toBe('job.completed');

    await openPage('Webhooks', 'Webhooks');
    const subscription = page.getByRole('region', { name: 'Subscriptions' }).getByRole('listitem').filter({ hasText: receiver.url });
    await subscription.getByRole('button', { name: 'Deliveries' }).click();
    const deliveries = subscription.getByRole('table', { name: `Deliveries to ${receiver.url}, newest first` });
    const delivery = deliveries.getByRole('row').filter({ hasText: 'job.completed' });
    await delivery.getByText('delivered', { exact: true }).waitFor({ timeout: 15_000 });
    await delivery.getByRole('button', { name: /^Redeliver / }).click();
    const [, again] = await receiver.waitFor(2, 'a job from the console');
    // a redelivery is the same event: the same webhook-id, signed again
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(WebhookReceiver.verify<{ type: string }>(webhookSecret, again).type).toBe('job.completed');
    await delivery.getByText('delivered', { exact: true }).waitFor({ timeout: 15_000 });
    await shot('webhooks');
  }, 30_000);

  it('shows the routing and scaling settings with the scaling events', async () => {
    await openPage('Routing & scaling', 'Routing & scaling');
    await page.getByRole('button', { name: 'Save routing' }).waitFor();
    expect(await page.getByLabel('Strategy').inputValue()).toMatch(/^(least-latency|least-connections|weighted-round-robin|priority-failover)$/);
    const scaling = page.getByRole('region', { name: 'Standby scaling' });
    const policy = (await api<{ scaleUpUtilization: number }>('GET', '/api/v1/instances/scaling', { token: testSecrets().adminApiKey })).body;
    await waitFor('the scaling policy in the form', async () => (await scaling.getByLabel('Scale up above (%)').inputValue()) === String(Math.round(policy.scaleUpUtilization * 100)), 5000, 50);
    await page.getByRole('region', { name: 'Scaling events' }).waitFor();
    await shot('settings');
  }, 30_000);

  it('shows the routing aliases and saves them edited, fallbacks and all', async () => {
    const admin = testSecrets().adminApiKey;
    const before = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin })).body;
    const alias = `console-alias-${RUN}`;
    try {
      expect((await api('PUT', '/api/v1/routing', { token: admin, body: { ...before, aliases: { [alias]: [MODEL] } } })).status).toBe(200);
      await page.reload();
      await page.getByRole('button', { name: 'Save routing' }).waitFor();
      const aliases = page.getByLabel('Model aliases');
      await waitFor('the alias in the form', async () => (await aliases.inputValue()) === `${alias}: ${MODEL}`, 5000, 50);
      await aliases.fill(`${alias}: ${MODEL}, gpt-4o-mini`);
      await page.getByRole('button', { name: 'Save routing' }).click();
      await page.getByText('Routing saved', { exact: false }).waitFor({ timeout: 5000 });
      const saved = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin })).body;
      expect(saved).toEqual({ ...before, aliases: { [alias]: [MODEL, 'gpt-4o-mini'] } });
    } finally {
      await api('PUT', '/api/v1/routing', { token: admin, body: before });
    }
  }, 30_000);

  it('fits a phone-sized screen: the menu becomes a strip and the chat still works', async () => {
    await page.setViewportSize(PHONE);
    await openPage('Chat', 'Chat');
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as InPage;
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByLabel('Model').selectOption(MODEL);
    await page.getByLabel('Message', { exact: true }).fill('small screen');
    await page.keyboard.press('Enter');
    await page.getByText(`[provider-sim ${INSTANCE}] small screen`).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await shot('chat-phone');

    // signed out, the sign-in page fits too
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to ISH Chat', exact: true }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as InPage).sessionStorage.getItem('ish.console.credential'))).toBeNull();
    await shot('sign-in-phone');

    // operators sign in with the admin API key too; it is checked before it is kept
    await page.getByLabel('API key', { exact: true }).fill('ish_not-a-key');
    await page.getByRole('button', { name: 'Sign in with key' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid' }).waitFor();
    await page.getByLabel('API key', { exact: true }).fill(testSecrets().adminApiKey);
    await page.getByRole('button', { name: 'Sign in with key' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chat', exact: true }).waitFor();
    expect(JSON.parse((await page.evaluate(() => (globalThis as unknown as InPage).sessionStorage.getItem('ish.console.credential'))) ?? '{}')).toEqual({ kind: 'apiKey', key: testSecrets().adminApiKey });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to ISH Chat', exact: true }).waitFor();

    // the browser saw no script error and no Content-Security-Policy violation (the refused key's 401 aside)
    expect(problems.filter((p) => !/401 \(Unauthorized\)/.test(p))).toEqual([]);
  }, 30_000);
});
