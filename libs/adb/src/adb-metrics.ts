import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '@ish/platform';

export const adbExecutionsTotal = new Counter({
  name: 'adb_executions_total',
  help: 'Device command executions by command and outcome (commands off the allow-list count as "other")',
  labelNames: ['command', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const adbExecutionDuration = new Histogram({
  name: 'adb_execution_duration_seconds',
  help: 'Time a command ran on the device, by command',
  labelNames: ['command'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export const adbLockWait = new Histogram({
  name: 'adb_device_lock_wait_seconds',
  help: 'Time a command waited for its device to be free',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  registers: [metricsRegistry],
});
