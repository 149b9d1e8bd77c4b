import { stringify } from 'yaml';

/*
 * YAML for cloud-init's documents. Internal: not exported from the package.
 *
 * cloud-init reads its documents with PyYAML, which speaks YAML 1.1: there `yes`, `on` and `off`
 * are booleans and a MAC such as `52:54:00:12:34:56` is a base-60 integer unless quoted. The
 * documents are written as YAML 1.1, so such values are quoted.
 *
 * The per-guest documents (meta-data, network-config, the head of user-data) are small and made
 * once per guest, and a general YAML library is slow at that scale (a measurable part of the synth
 * time of a 1000-guest lab). They are written here directly when every value is one this writer
 * knows to be plain in YAML 1.1; anything else goes to the `yaml` library, so the text is the
 * same either way (test/compute/cloud-init-yaml.test.ts compares the two).
 */

const OPTIONS = { lineWidth: 0, version: '1.1' } as const;

/** Words PyYAML reads as booleans or null (and YAML 1.1's y/n), in any case. */
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;
/** Starts with a letter; letters, digits, `_`, `.`, `/`, `-` after: never a number, date or time. */
const WORD = /^[A-Za-z][A-Za-z0-9_./-]*$/;
/**
 * Text that starts with a letter or `/` (not a YAML indicator, not a number, date or time) and
 * holds no `#`, quote, backslash, tab or line break; `: ` and a trailing `:` or space are
 * checked apart.
 */
const TEXT = /^[A-Za-z/][A-Za-z0-9 _./=()@:+,~-]*$/;
/** An IPv4 address, optionally with a prefix length: more than one dot, so never a float. */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
/** A MAC address with at least one hex letter: never a base-60 number. */
const MAC_WITH_LETTER = /^(?=.*[a-f])[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** A YAML 1.1 block document of `data` (a mapping), ending in a newline. */
export function yamlDocument(data: { [key: string]: unknown }): string {
  const lines: string[] = [];
  return writeMap(data, '', lines) ? lines.join('\n') + '\n' : stringify(data, OPTIONS);
}

/**
 * `yamlDocument(data)` for documents that repeat from guest to guest (the users and packages of a
 * cluster's nodes), rendered once and reused while the same content comes again.
 */
export function repeatedYamlDocument(data: { [key: string]: unknown }): string {
  const key = JSON.stringify(data);
  if (key !== lastKey) {
    lastKey = key;
    lastText = yamlDocument(data);
  }
  return lastText;
}
let lastKey: string | undefined;
let lastText = '';

/** Whether `text` is written plain (unquoted) by YAML 1.1 as this writer knows it. */
export function isPlainScalar(text: string): boolean {
  if (TEXT.test(text)) return !RESERVED.test(text) && !text.includes(': ') && !/[: ]$/.test(text);
  return IPV4.test(text) || MAC_WITH_LETTER.test(text);
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string') return isPlainScalar(value) ? value : undefined;
  return undefined;
}

/** Appends a block mapping at `indent`; false where the writer cannot do it (the caller falls back). */
function writeMap(map: { [key: string]: unknown }, indent: string, lines: string[], firstPrefix?: string): boolean {
  const keys = Object.keys(map).filter((k) => map[k] !== undefined);
  if (keys.length === 0) return false;
  let first = true;
  for (const key of keys) {
    if (!WORD.test(key) || RESERVED.test(key)) return false;
    const pad = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const value = map[key];
    if (Array.isArray(value)) {
      lines.push(`${pad}${key}:`);
      if (!writeSeq(value, indent + '  ', lines)) return false;
    } else if (value !== null && typeof value === 'object') {
      lines.push(`${pad}${key}:`);
      if (!writeMap(value as { [key: string]: unknown }, indent + '  ', lines)) return false;
    } else {
      const text = scalar(value);
      if (text === undefined) return false;
      lines.push(`${pad}${key}: ${text}`);
    }
  }
  return true;
}

/** Appends a block sequence at `indent` (items of scalars or mappings). */
function writeSeq(items: unknown[], indent: string, lines: string[]): boolean {
  if (items.length === 0) return false;
  for (const item of items) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      if (!writeMap(item as { [key: string]: unknown }, indent + '  ', lines, `${indent}- `)) return false;
    } else {
      const text = scalar(item);
      if (text === undefined) return false;
      lines.push(`${indent}- ${text}`);
    }
  }
  return true;
}
