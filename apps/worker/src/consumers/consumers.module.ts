import { Module } from '@nestjs/common';
import { ConsumerRegistry } from './consumer-registry';
import { MeteredQueues } from './metered-queues';

@Module({ providers: [ConsumerRegistry, MeteredQueues], exports: [ConsumerRegistry] })
export class ConsumersModule {}
