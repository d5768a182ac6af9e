import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingEntity } from '@ish/database';
import { SettingsStore } from './settings.store';

@Module({ imports: [TypeOrmModule.forFeature([SettingEntity])], providers: [SettingsStore], exports: [SettingsStore] })
export class SettingsModule {}
