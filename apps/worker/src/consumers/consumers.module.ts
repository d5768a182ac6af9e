import { Module } from '@nestjs/common';
import { ConsumerRegistry } from './consumer-registry';

@Module({ providers: [ConsumerRegistry], exports: [ConsumerRegistry] })
export class ConsumersModule {}
