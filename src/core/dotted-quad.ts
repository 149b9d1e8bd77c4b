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
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  // Number arithmetic (exact below 2^53), one BigInt at the end: BigInt operations are slow until optimized.
  return BigInt(n);
}

/** The dotted quad of a 32-bit value. */
export function formatDottedQuad(value: bigint): string {
  const n = Number(value);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
