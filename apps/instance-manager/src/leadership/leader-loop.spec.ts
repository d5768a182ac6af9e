import { Logger } from '@nestjs/common';
import { LeaderLoop, LeaderLoopOptions } from './leader-loop';

const INTERVAL_MS = 1000;

function setup(overrides: Partial<LeaderLoopOptions> = {}) {
  const leader = { leads: true, isLeader: () => leader.leads };
  const logger = { warn: jest.fn() } as unknown as Logger & { warn: jest.Mock };
  const lead = jest.fn(async () => undefined);
  const onLeadershipLost = jest.fn();
  const loop = new LeaderLoop(leader, { name: 'test round', logger, intervalMs: INTERVAL_MS, lead, onLeadershipLost, ...overrides });
  return { leader, logger, lead, onLeadershipLost, loop };
}

/** a round that stays under way until `finish` is called */
function pendingRound() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { round: jest.fn(() => done), finish: () => finish() };
}

describe('LeaderLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a round every interval while this replica leads, the first one interval after start', async () => {
    const { lead, loop } = setup();
    loop.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(lead).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(lead).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2 * INTERVAL_MS);
    expect(lead).toHaveBeenCalledTimes(3);
    await loop.stop();
  });

  it('does not run the round on a replica that does not lead', async () => {
    const { leader, lead, onLeadershipLost, loop } = setup();
    leader.leads = false;
    await loop.runOnce();
    expect(lead).not.toHaveBeenCalled();
    expect(onLeadershipLost).not.toHaveBeenCalled();
  });

  it('tells once that leadership was lost, and again only after leading again', async () => {
    const { leader, lead, onLeadershipLost, loop } = setup();
    await loop.runOnce();
    leader.leads = false;
    await loop.runOnce();
    await loop.runOnce();
    expect(onLeadershipLost).toHaveBeenCalledTimes(1);
    leader.leads = true;
    await loop.runOnce();
    leader.leads = false;
    await loop.runOnce();
    expect(onLeadershipLost).toHaveBeenCalledTimes(2);
    expect(lead).toHaveBeenCalledTimes(2);
  });

  it('schedules the next round when the previous one ended, so rounds never overlap', async () => {
    const { round, finish } = pendingRound();
    const { loop } = setup({ lead: round });
    loop.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(round).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(round).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(round).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('logs a failed round under its name and goes on', async () => {
    const lead = jest.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue(undefined);
    const { logger, loop } = setup({ lead });
    loop.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(logger.warn).toHaveBeenCalledWith('test round failed: database away');
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(lead).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('stop waits for the round under way and schedules no more', async () => {
    const { round, finish } = pendingRound();
    const { loop } = setup({ lead: round });
    loop.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('stop before the first round runs none', async () => {
    const { lead, loop } = setup();
    loop.start();
    await loop.stop();
    await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    expect(lead).not.toHaveBeenCalled();
  });
});
