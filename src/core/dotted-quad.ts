/*
 * IPv4 dotted quads. Internal: not exported from the package.
 */

const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * The value of four decimal octets without leading zeros (what ipaddr.js calls four-part decimal,
 * and the one way it prints an IPv4 address), or undefined for any other text. Parsed directly:
 * ipaddr.js's general IPv4 parser is slow to warm up, and this runs for every address.
 */
export function parseDottedQuad(text: string): bigint | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return undefined;
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  // Number arithmetic (exact below 2^53), one BigInt at the end: BigInt operations are slow until optimized.
  return a <= 255 && b <= 255 && c <= 255 && d <= 255 ? BigInt(((a * 256 + b) * 256 + c) * 256 + d) : undefined;
}

/** The dotted quad of a 32-bit value. */
export function formatDottedQuad(value: bigint): string {
  const n = Number(value);
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}
