import { formatDottedQuad, parseDottedQuad } from '../../src/core/dotted-quad';

describe('IPv4 dotted quads', () => {
  test.each([
    ['0.0.0.0', 0n],
    ['10.100.0.2', 0x0a640002n],
    ['192.168.255.1', 0xc0a8ff01n],
    ['255.255.255.255', 0xffffffffn],
  ])('parses %s to its 32-bit value', (text, value) => {
    expect(parseDottedQuad(text)).toBe(value);
  });

  test.each(['256.0.0.1', '1.2.3.256', '01.2.3.4', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4/24', 'fd00::1', ''])(
    'rejects %j', (text) => {
      expect(parseDottedQuad(text)).toBeUndefined();
    });

  test.each([0n, 1n, 0x0a640002n, 0x7fffffffn, 0x80000000n, 0xc0a8ff01n, 0xffffffffn])('prints %s back as the text it was parsed from', (value) => {
    const text = formatDottedQuad(value);
    expect(text).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(parseDottedQuad(text)).toBe(value);
  });

  test('prints each octet in order', () => {
    expect(formatDottedQuad(0xc0a8ff01n)).toBe('192.168.255.1');
  });
});
