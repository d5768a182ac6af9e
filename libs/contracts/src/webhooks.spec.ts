import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateWebhookRequest, ListWebhookDeliveriesQuery, UpdateWebhookRequest, webhookUrlProblem } from './webhooks';

/** the fields at fault, as the API's validation pipe reports them */
function problems(type: new () => object, body: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(type, body), { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('CreateWebhookRequest', () => {
  const valid = { url: 'https://hooks.example.com/ish', events: ['job.completed'] };

  it('accepts an https URL with known events, * and a description', () => {
    expect(problems(CreateWebhookRequest, valid)).toEqual({});
    expect(problems(CreateWebhookRequest, { url: 'http://127.0.0.1:9000/hook', events: ['*'], description: 'local' })).toEqual({});
    expect(problems(CreateWebhookRequest, { ...valid, events: ['job.completed', 'job.failed', 'instance.status_changed', 'device.state_changed'] })).toEqual({});
  });

  it.each([
    ['ftp://example.com/hook', 'must use http or https'],
    ['not a url', 'must be a valid http(s) URL'],
    ['http://169.254.169.254/latest/meta-data', 'link-local or cloud-metadata'],
    ['http://metadata.google.internal/', 'link-local or cloud-metadata'],
    ['http://[fe80::1]/hook', 'link-local or cloud-metadata'],
    ['https://user:pw@example.com/hook', 'must not carry credentials'],
  ])('refuses the url %s', (url, message) => {
    const found = problems(CreateWebhookRequest, { ...valid, url });
    expect(Object.keys(found)).toEqual(['url']);
    expect(found.url.join()).toContain(message);
  });

  it('refuses an empty, unknown or repeated event list', () => {
    expect(problems(CreateWebhookRequest, { ...valid, events: [] }).events).toContain('events must list at least one event');
    expect(problems(CreateWebhookRequest, { ...valid, events: ['job.started'] }).events.join()).toContain('each event must be one of: job.completed, job.failed, instance.status_changed, device.state_changed, budget.warning, budget.exceeded, *');
    expect(problems(CreateWebhookRequest, { ...valid, events: ['credential.revoked'] })).toHaveProperty('events');
    expect(problems(CreateWebhookRequest, { ...valid, events: ['job.failed', 'job.failed'] })).toHaveProperty('events');
    expect(problems(CreateWebhookRequest, { ...valid, events: 'job.failed' })).toHaveProperty('events');
    expect(problems(CreateWebhookRequest, { url: valid.url })).toHaveProperty('events');
  });

  it('refuses extra fields and a description that is not a short string', () => {
    expect(Object.keys(problems(CreateWebhookRequest, { ...valid, secret: 'whsec_mine' }))).toEqual(['secret']);
    expect(problems(CreateWebhookRequest, { ...valid, description: 42 })).toHaveProperty('description');
    expect(problems(CreateWebhookRequest, { ...valid, description: 'x'.repeat(501) })).toHaveProperty('description');
  });
});

describe('UpdateWebhookRequest and the deliveries query', () => {
  it('validates what is given', () => {
    expect(problems(UpdateWebhookRequest, {})).toEqual({});
    expect(problems(UpdateWebhookRequest, { enabled: true, events: ['*'] })).toEqual({});
    expect(Object.keys(problems(UpdateWebhookRequest, { enabled: 'yes', url: 'gopher://x' })).sort()).toEqual(['enabled', 'url']);
  });

  it('reads limit from the query string', () => {
    expect(problems(ListWebhookDeliveriesQuery, { limit: '10', status: 'failed' })).toEqual({});
    expect(Object.keys(problems(ListWebhookDeliveriesQuery, { limit: '1000', status: 'lost' })).sort()).toEqual(['limit', 'status']);
  });

  it('explains URL problems in words', () => {
    expect(webhookUrlProblem('https://example.com/')).toBeNull();
    expect(webhookUrlProblem(7)).toMatch(/http\(s\) URL/);
  });
});
