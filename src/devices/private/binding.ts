/*
 * Internals shared by the device constructs: host checks, the per-guest duplicate registry and
 * the id validators. Nothing here is exported from the package.
 */
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { IGuest, LibvirtHost } from '../../core';
import { ValidationError } from '../../core/validation-error';

/**
 * Throws when `guest` is placed on another host than the device's.
 * @internal
 */
export function checkSameHost(device: IConstruct, deviceHost: LibvirtHost, guest: IGuest, prop: string): void {
  if (guest.host === deviceHost) return;
  throw new ValidationError(device, prop, guest.node.path,
    `a guest on host ${deviceHost.node.path}, where the device is`,
    `${guest.node.path} is placed on host ${guest.host.node.path}; a device can only be given to guests on its own host.`);
}

/** What each guest has been given, so the same device key twice in one guest is caught too. */
const GIVEN = new WeakMap<IGuest, Map<string, IConstruct>>();

/**
 * Claims `key` of `kind` on the guest's host for `guest` (a second guest on the same host throws,
 * naming both), and records it per guest (a second device in the same guest throws, naming both
 * devices). Unresolved keys are not checked.
 * @internal
 */
export function claimForGuest(device: IConstruct, guest: IGuest, kind: string, key: string, prop: string): void {
  if (Token.isUnresolved(key)) return;
  guest.host.claim(kind, key, guest, prop);
  const given = GIVEN.get(guest) ?? new Map<string, IConstruct>();
  const id = `${kind}\u0000${key}`;
  const holder = given.get(id);
  if (holder && holder !== device) {
    throw new ValidationError(device, prop, key, `a ${kind} that ${guest.node.path} does not already have`,
      `It was already given to that guest by ${holder.node.path}.`);
  }
  given.set(id, device);
  GIVEN.set(guest, given);
}

const HEX4_RE = /^(?:0x)?([0-9a-fA-F]{4})$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A USB vendor or product id as libvirt writes it back: `0x` and four lower-case hex digits.
 * Accepts `046d`, `0x046d`, `0x046D`.
 * @internal
 */
export function normalizeUsbId(where: string, prop: string, id: string, what: string = 'USB'): string {
  if (Token.isUnresolved(id)) return id;
  const m = typeof id === 'string' ? HEX4_RE.exec(id.trim()) : null;
  if (!m) {
    throw new ValidationError(where, prop, id, `a ${what} id of four hex digits, with or without 0x (e.g. "${what === 'USB' ? '046d' : '10de'}")`,
      what === 'USB' ? 'See `lsusb`: the ID column is vendor:product.' : 'See `lspci -nn`: the [vendor:device] column.');
  }
  return `0x${m[1].toLowerCase()}`;
}

/**
 * A mediated-device UUID in canonical lower-case 8-4-4-4-12 form.
 * @internal
 */
export function normalizeUuid(where: string, prop: string, uuid: string): string {
  if (Token.isUnresolved(uuid)) return uuid;
  if (typeof uuid !== 'string' || !UUID_RE.test(uuid.trim())) {
    throw new ValidationError(where, prop, uuid, 'a UUID in 8-4-4-4-12 hex form (e.g. "4b20d080-1b54-4048-85b3-a6a62d165c01")',
      'Create the mdev on the host first (mdevctl) and use its UUID.');
  }
  return uuid.trim().toLowerCase();
}

/**
 * An absolute host path, e.g. a ROM file.
 * @internal
 */
export function validateAbsolutePath(where: IConstruct, prop: string, path: string | undefined): void {
  if (path === undefined || Token.isUnresolved(path)) return;
  if (typeof path !== 'string' || !path.startsWith('/') || /[\0\n]/.test(path)) {
    throw new ValidationError(where, prop, path, 'an absolute path on the host (e.g. "/usr/share/vgabios/gpu.rom")');
  }
}
