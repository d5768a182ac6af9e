import { smoothWeightedPick, WeightedPeer } from './smooth-weighted-pick';

function run(peers: WeightedPeer[], picks: number): string[] {
  let current: Record<string, number> = {};
  const chosen: string[] = [];
  for (let i = 0; i < picks; i++) {
    const pick = smoothWeightedPick(peers, current)!;
    chosen.push(pick.id);
    current = pick.current;
  }
  return chosen;
}

describe('smoothWeightedPick', () => {
  it('interleaves like nginx (5,1,1 → a a b a c a a)', () => {
    expect(run([{ id: 'a', weight: 5 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }], 7).join(' ')).toBe('a a b a c a a');
  });

  it('alternates equal weights', () => {
    expect(run([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('chooses each peer exactly weight times per cycle', () => {
    const peers = [
      { id: 'a', weight: 4 },
      { id: 'b', weight: 3 },
      { id: 'c', weight: 2 },
      { id: 'd', weight: 1 },
    ];
    const chosen = run(peers, 10 * 7);
    for (let cycle = 0; cycle < 7; cycle++) {
      const slice = chosen.slice(cycle * 10, cycle * 10 + 10);
      for (const peer of peers) expect(slice.filter((id) => id === peer.id)).toHaveLength(peer.weight);
    }
  });

  it('never picks a weight-0 or negative peer while another has weight', () => {
    const chosen = run([{ id: 'z', weight: 0 }, { id: 'a', weight: 2 }, { id: 'n', weight: -3 }], 50);
    expect(new Set(chosen)).toEqual(new Set(['a']));
  });

  it('gives undefined when no peer has weight', () => {
    expect(smoothWeightedPick([{ id: 'z', weight: 0 }], {})).toBeUndefined();
    expect(smoothWeightedPick([], {})).toBeUndefined();
  });

  it('does not modify the previous weights and drops peers that left', () => {
    const previous = Object.freeze({ a: 1, gone: 7 });
    const pick = smoothWeightedPick([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], previous)!;
    expect(previous).toEqual({ a: 1, gone: 7 });
    expect(pick).toEqual({ id: 'a', current: { a: 0, b: 1 } });
  });

  it('keeps the current weights summing to 0', () => {
    let current: Record<string, number> = {};
    const peers = [{ id: 'a', weight: 7 }, { id: 'b', weight: 3 }, { id: 'c', weight: 11 }];
    for (let i = 0; i < 100; i++) {
      current = smoothWeightedPick(peers, current)!.current;
      expect(Object.values(current).reduce((sum, value) => sum + value, 0)).toBe(0);
    }
  });
});
