import { Module } from '@nestjs/common';
import { LeaderLock } from './leader-lock';

@Module({ providers: [LeaderLock], exports: [LeaderLock] })
export class LeadershipModule {}
