import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SettingEntity } from '@ish/database';

/** Keys of the `settings` table this service owns. */
export const SETTING_KEYS = { routing: 'routing', scaling: 'scaling' } as const;
export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

/** Operator settings as JSON values, one row per key. */
@Injectable()
export class SettingsStore {
  constructor(@InjectRepository(SettingEntity) private readonly settings: Repository<SettingEntity>) {}

  async get(key: SettingKey): Promise<Record<string, unknown> | undefined> {
    return (await this.settings.findOne({ where: { key } }))?.value;
  }

  async put(key: SettingKey, value: object): Promise<void> {
    await this.settings.upsert({ key, value: { ...value } }, ['key']);
  }
}
