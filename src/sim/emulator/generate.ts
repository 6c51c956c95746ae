/** Deterministic stand-ins for model output: words (one word = one output token) and embeddings. */
import { hashString, mulberry32 } from './prng.js';

const WORDS = (
  'the a steady call waits for its turn and then the server answers with a few words about ' +
  'rate limits tokens windows retries backoff jitter budgets breakers queues and clocks so ' +
  'every test can read what came back'
).split(' ');

/** `count` words seeded by `seed`, as the pieces a stream sends (every piece after the first has its space). */
export function generateWords(seed: number, count: number): string[] {
  const random = mulberry32(seed);
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = WORDS[Math.floor(random.next() * WORDS.length)]!;
    pieces.push(i === 0 ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`);
  }
  return pieces;
}

/** A unit vector of `dimension` floats, the same for the same text. */
export function embedFloat(text: string, dimension: number): number[] {
  const random = mulberry32(hashString(text));
  const v = Array.from({ length: dimension }, () => random.next() * 2 - 1);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

/** The vector in each of Cohere's embedding types. */
export function embedAs(type: string, floats: number[]): number[] | string {
  const int8 = floats.map((x) => Math.max(-128, Math.min(127, Math.round(x * 127))));
  const bits = (signed: boolean) => {
    const out: number[] = [];
    for (let i = 0; i < floats.length; i += 8) {
      let byte = 0;
      for (let j = 0; j < 8; j++) byte = (byte << 1) | ((floats[i + j] ?? 0) > 0 ? 1 : 0);
      out.push(signed ? byte - 128 : byte);
    }
    return out;
  };
  switch (type) {
    case 'int8':
      return int8;
    case 'uint8':
      return int8.map((x) => x + 128);
    case 'binary':
      return bits(true);
    case 'ubinary':
      return bits(false);
    case 'base64':
      return Buffer.from(Int8Array.from(int8).buffer).toString('base64');
    default:
      return floats;
  }
}
