import { createHash } from 'node:crypto';

/** gemini-embedding-001 answers 3072 dimensions; older text embedding models 768. */
export function defaultDimensions(model: string): number {
  return model.includes('gemini-embedding') ? 3072 : 768;
}

/** Deterministic unit vector derived from a hash of the text: equal texts, equal vectors. */
export function embeddingVector(text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}\u0000${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && values.length < dimensions; i += 4) values.push(digest.readUInt32LE(i) / 0xffffffff - 0.5);
  }
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}
