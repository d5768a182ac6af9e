export interface WeightedPeer {
  id: string;
  weight: number;
}

export interface WeightedPick {
  id: string;
  /** every peer's current weight after the pick: keep it for the next call */
  current: Record<string, number>;
}

/**
 * nginx's smooth weighted round-robin: each peer's current weight grows by its weight, the largest
 * wins and drops by the total. Over any run of `sum(weights)` picks every peer is chosen exactly
 * `weight` times, interleaved rather than in bursts. Ties go to the earlier peer, so pass peers in
 * a stable order. Peers with weight <= 0 are never picked; undefined when no peer has weight.
 */
export function smoothWeightedPick(peers: readonly WeightedPeer[], previous: Readonly<Record<string, number>>): WeightedPick | undefined {
  const weighted = peers.filter((peer) => peer.weight > 0);
  if (weighted.length === 0) return undefined;
  const current: Record<string, number> = {};
  let total = 0;
  let best: WeightedPeer | undefined;
  for (const peer of weighted) {
    current[peer.id] = (previous[peer.id] ?? 0) + peer.weight;
    total += peer.weight;
    if (!best || current[peer.id] > current[best.id]) best = peer;
  }
  const chosen = best as WeightedPeer;
  current[chosen.id] -= total;
  return { id: chosen.id, current };
}
