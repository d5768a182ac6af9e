import { defineCounter, defineHistogram } from '@ish/platform';

export const adbExecutionsTotal = defineCounter({
  name: 'adb_executions_total',
  help: 'Device command executions by command and outcome (commands off the allow-list count as "other")',
  labelNames: ['command', 'outcome'] as const,
});

export const adbExecutionDuration = defineHistogram({
  name: 'adb_execution_duration_seconds',
  help: 'Time a command ran on the device, by command',
  labelNames: ['command'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

export const adbLockWait = defineHistogram({
  name: 'adb_device_lock_wait_seconds',
  help: 'Time a command waited for its device to be free',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
});
