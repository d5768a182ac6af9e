import { publishUntilConfirmed } from './amqp-client';

describe('publishUntilConfirmed', () => {
  it('sends again a message the lost connection left unconfirmed, until the broker confirms it', async () => {
    const outcomes = [new Error('channel closed'), new Error('channel closed'), undefined];
    const retries: number[] = [];
    let sent = 0;
    await publishUntilConfirmed(
      async () => {
        const outcome = outcomes[sent++];
        if (outcome) throw outcome;
      },
      (_error, attempt) => retries.push(attempt),
      10,
      1,
    );
    expect(sent).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after its tries with the last error', async () => {
    let sent = 0;
    const publish = async () => {
      sent++;
      throw new Error(`nack ${sent}`);
    };
    await expect(publishUntilConfirmed(publish, undefined, 3, 1)).rejects.toThrow('nack 3');
    expect(sent).toBe(3);
  });

  it('sends once when the first try is confirmed', async () => {
    let sent = 0;
    await publishUntilConfirmed(async () => void sent++);
    expect(sent).toBe(1);
  });
});
