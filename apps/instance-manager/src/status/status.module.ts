import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { InstanceStatusWriter } from './instance-status.writer';

@Module({ imports: [TypeOrmModule.forFeature([InstanceEntity])], providers: [InstanceStatusWriter], exports: [InstanceStatusWriter] })
export class StatusModule {}
