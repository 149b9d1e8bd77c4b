/*
 * IPv4 dotted quads. Internal: not exported from the package.
 */

/**
 * The value of four decimal octets without leading zeros (what ipaddr.js calls four-part decimal,
 * and the one way it prints an IPv4 address), or undefined for any other text. Parsed directly:
 * ipaddr.js's general IPv4 parser is slow to warm up, and this runs for every address.
 */
export function parseDottedQuad(text: string): bigint | undefined {
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) : undefined;
}
