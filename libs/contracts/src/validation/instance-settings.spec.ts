import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateInstanceRequest, UpdateInstanceRequest } from '../instances';
import { deploymentsProblems, modelPricesProblems } from './instance-settings';

const base = { name: 'a', providerType: 'azure-openai', models: ['gpt-4o'] };
const errorsOf = (cls: new () => object, body: object) =>
  validateSync(plainToInstance(cls, body)).flatMap((error) => Object.values(error.constraints ?? {}));

describe('instance settings', () => {
  it('accepts prices, deployments and versions', () => {
    expect(
      errorsOf(CreateInstanceRequest, {
        ...base,
        apiVersion: '2024-10-21',
        deployments: { 'gpt-4o': 'prod-4o' },
        prices: { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 } },
      }),
    ).toEqual([]);
    expect(errorsOf(CreateInstanceRequest, { ...base, providerType: 'anthropic', anthropicVersion: '2023-06-01', defaultMaxTokens: 2048 })).toEqual([]);
  });

  it('names the offending field of a price', () => {
    expect(modelPricesProblems({ 'gpt-4o': { inputPerMTok: -1, outputPerMTok: 1 } })).toEqual([{ field: 'prices.gpt-4o.inputPerMTok', message: expect.any(String) }]);
    expect(modelPricesProblems({ 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 1, extra: 1 } })[0].field).toBe('prices.gpt-4o.extra');
    expect(modelPricesProblems([])[0].field).toBe('prices');
    expect(errorsOf(CreateInstanceRequest, { ...base, prices: { m: { inputPerMTok: 'x', outputPerMTok: 1 } } }).join()).toContain('prices.m.inputPerMTok');
  });

  it('refuses a deployment name that is not one', () => {
    expect(deploymentsProblems({ 'gpt-4o': '../admin' })[0].field).toBe('deployments.gpt-4o');
    expect(errorsOf(CreateInstanceRequest, { ...base, deployments: { 'gpt-4o': 'a/b' } }).join()).toContain('deployments.gpt-4o');
  });

  it('refuses malformed versions and limits', () => {
    expect(errorsOf(CreateInstanceRequest, { ...base, apiVersion: 'latest' }).join()).toContain('apiVersion');
    expect(errorsOf(CreateInstanceRequest, { ...base, anthropicVersion: 'v1' }).join()).toContain('anthropicVersion');
    expect(errorsOf(CreateInstanceRequest, { ...base, defaultMaxTokens: 0 }).join()).toContain('defaultMaxTokens');
  });

  it('lets an update clear a setting with null', () => {
    expect(errorsOf(UpdateInstanceRequest, { prices: null, deployments: null, apiVersion: null })).toEqual([]);
  });
});
