import type { Scenario } from '../scenario';
import { workerKillScenario } from './1-worker-kill';
import { rabbitmqRestartScenario } from './2-rabbitmq-restart';
import { redisRestartScenario } from './3-redis-restart';
import { postgresRestartScenario } from './4-postgres-restart';
import { providerFaultsScenario } from './5-provider-faults';
import { webhookConsumerDownScenario } from './6-webhook-consumer-down';

/** Scenarios 1–6 of issue 11, in order. */
export const SCENARIOS: Scenario[] = [workerKillScenario, rabbitmqRestartScenario, redisRestartScenario, postgresRestartScenario, providerFaultsScenario, webhookConsumerDownScenario];
