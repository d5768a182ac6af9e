import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsInt, validateSync } from 'class-validator';
import { UpdateInstanceRequest } from '../instances';
import { IsOmittable } from './omittable';

class Patch {
  @IsOmittable() @IsInt() priority?: number;
}

const errors = (body: object) => validateSync(plainToInstance(Patch, body)).map((e) => e.property);

describe('IsOmittable', () => {
  it('skips a missing field, validates a present one, and refuses null', () => {
    expect(errors({})).toEqual([]);
    expect(errors({ priority: 3 })).toEqual([]);
    expect(errors({ priority: 'x' })).toEqual(['priority']);
    expect(errors({ priority: null })).toEqual(['priority']);
  });

  it('makes a PATCH of an instance refuse null for fields that have no "none" (the fuzz pass found a 500)', () => {
    const body = { priority: null, maxConcurrency: 10_000, timeoutMs: 360_607, standby: false, enabled: true };
    expect(validateSync(plainToInstance(UpdateInstanceRequest, body)).map((e) => e.property)).toEqual(['priority']);
    for (const field of ['name', 'baseUrl', 'models', 'weight', 'priority', 'maxConcurrency', 'timeoutMs', 'standby', 'enabled']) {
      expect(`${field}: ${validateSync(plainToInstance(UpdateInstanceRequest, { [field]: null })).map((e) => e.property)}`).toBe(`${field}: ${field}`);
    }
  });
});
