import { GATEWAY_URL, testSecrets, EventStream, openEventStream, api, signUp, waitFor } from '@ish/test-support';

const admin = () => testSecrets().adminApiKey;
const open: EventStream[] = [];

afterAll(async () => {
  await Promise.all(open.map((stream) => stream.close()));
});

async function stream(token: string): Promise<EventStream> {
  const opened = await openEventStream(token);
  open.push(opened);
  return opened;
}

/** ms until the server ended `stream`, or a failure past `withinMs` */
async function endsWithin(stream: EventStream, withinMs: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`the stream was still open after ${withinMs} ms`)), withinMs)));
  try {
    await Promise.race([stream.ended, late]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}

async function chatKey(token: string, name = 'events'): Promise<{ id: string; key: string }> {
  const created = await api<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', { token, body: { name, scopes: ['chat'] } });
  expect(created.status).toBe(201);
  return created.body;
}

/** the stream is live on a relay (it said `connected`) */
async function live(stream: EventStream): Promise<void> {
  expect(stream.status).toBe(200);
  await waitFor('the stream to connect', async () => stream.text().includes(': connected'), 5000, 20);
}

describe('/api/v1/events lives only as long as its credential', () => {
  it('closes an open stream within 1 s after its API key is deleted', async () => {
    const user = await signUp('events-key');
    const key = await chatKey(user.accessToken);
    const events = await stream(key.key);
    await live(events);

    expect((await api('DELETE', `/api/v1/auth/api-keys/${key.id}`, { token: user.accessToken })).status).toBe(204);
    const tookMs = await endsWithin(events, 1000);
    expect(events.text()).toMatch(/event: error\ndata: \{"error":\{"type":"authentication_error","code":"credential_revoked"/);
    console.log(`event stream closed ${tookMs} ms after its key was deleted`);
  });

  it('closes an open stream within 1 s after logout of its session', async () => {
    const user = await signUp('events-logout');
    const events = await stream(user.accessToken);
    await live(events);

    expect((await api('POST', '/api/v1/auth/logout', { body: { refreshToken: user.refreshToken } })).status).toBe(204);
    const tookMs = await endsWithin(events, 1000);
    console.log(`event stream closed ${tookMs} ms after logout`);
    expect((await openEventStream(user.accessToken)).status).toBe(401);
  });

  it('closes the streams of a user whose role changes or who is disabled, and leaves other users’ streams open', async () => {
    const [user, bystander] = await Promise.all([signUp('events-role'), signUp('events-bystander')]);
    const key = await chatKey(user.accessToken);
    const [jwtStream, keyStream, otherStream] = await Promise.all([stream(user.accessToken), stream(key.key), stream(bystander.accessToken)]);
    await Promise.all([live(jwtStream), live(keyStream), live(otherStream)]);

    expect((await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin(), body: { role: 'admin' } })).status).toBe(200);
    await Promise.all([endsWithin(jwtStream, 1000), endsWithin(keyStream, 1000)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stillOpen = await Promise.race([otherStream.ended.then(() => false), Promise.resolve(true)]);
    expect(stillOpen).toBe(true);

    // the key itself still stands (a role change caps it at use): a new stream sees the new role
    const again = await stream(key.key);
    await live(again);
    expect((await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin(), body: { disabled: true } })).status).toBe(200);
    await endsWithin(again, 1000);
  });

  it('caps open streams per credential over both relays (429 too_many_streams) and frees a slot when one closes', async () => {
    const user = await signUp('events-cap');
    const key = await chatKey(user.accessToken);
    const streams: EventStream[] = [];
    for (let i = 0; i < 5; i++) streams.push(await stream(key.key));
    for (const s of streams) await live(s);

    const refused = await fetch(`${GATEWAY_URL}/api/v1/events`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { type: string; code: string } }).error).toEqual(expect.objectContaining({ type: 'rate_limit_error', code: 'too_many_streams' }));

    // another credential of the same user has its own slots
    expect((await stream(user.accessToken)).status).toBe(200);

    await streams[0].close();
    const reopened = await waitFor('a slot to be free again', async () => {
      const next = await openEventStream(key.key);
      if (next.status === 200) return next;
      await next.close();
      return undefined;
    }, 5000, 100);
    open.push(reopened);
  });
});
