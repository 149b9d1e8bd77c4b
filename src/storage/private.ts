/*
 * Helpers shared by the storage constructs. Not exported from the storage module.
 */
import { TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { IStoragePool, IVolume } from '../core/contracts';
import { Size, SizeUnit } from '../core/size';
import { ValidationError } from '../core/validation-error';

/** An absolute host path: starts with '/', no whitespace, no '..' segment. */
const ABSOLUTE_PATH_RE = /^\/[^\s]*$/;

/** @internal */
export function isAbsolutePath(path: string): boolean {
  return typeof path === 'string' && ABSOLUTE_PATH_RE.test(path) && !path.split('/').includes('..');
}

/** Checks an absolute path; tokens pass. @internal */
export function validateAbsolutePath(where: IConstruct | string, prop: string, path: string): string {
  if (Token.isUnresolved(path)) return path;
  if (!isAbsolutePath(path)) {
    throw new ValidationError(where, prop, path, 'an absolute path (starting with "/", without spaces or ".." segments)');
  }
  return path;
}

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6_RE = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;

/** Checks a host name or IP address; tokens pass. @internal */
export function validateHostName(where: IConstruct | string, prop: string, host: string): string {
  if (Token.isUnresolved(host)) return host;
  if (typeof host !== 'string' || !(HOST_RE.test(host) || IPV6_RE.test(host))) {
    throw new ValidationError(where, prop, host, 'a host name or IP address, e.g. "nas01.lab" or "10.0.0.5"');
  }
  return host;
}

/** Checks a TCP port; tokens pass. @internal */
export function validatePort(where: IConstruct | string, prop: string, port: number): number {
  if (Token.isUnresolved(port)) return port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(where, prop, port, 'a TCP port between 1 and 65535');
  }
  return port;
}

/** Capacity as the provider's `capacity` + `capacity_unit` pair, in the largest exact binary unit. @internal */
export function renderCapacity(size: Size): { capacity: number; capacityUnit: string } {
  const { amount, unit } = size.toLargestExactUnit();
  return { capacity: amount, capacityUnit: unit === SizeUnit.BYTES ? 'bytes' : unit };
}

/** PascalCase of a string, for logical ids: `kvm01/fast-pool` -> `Kvm01FastPool`. @internal */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** The construct path of `c` below its stack (or its full path when it is not in a stack). @internal */
export function pathBelowStack(c: IConstruct): string {
  let stack: TerraformStack | undefined;
  try {
    stack = TerraformStack.of(c);
  } catch {
    stack = undefined;
  }
  const scopes = c.node.scopes;
  const start = stack ? scopes.indexOf(stack) + 1 : 1;
  return scopes.slice(start).map((s) => s.node.id).join('/');
}


/** Sizes known at synth for volumes that do not carry a `capacity` prop (e.g. a base image's virtual size). @internal */
export const KNOWN_VIRTUAL_SIZE = new WeakMap<IVolume, Size>();

/**
 * The key a volume name is claimed under on its host: the pool's literal name, or the pool
 * construct's path when the name is a token.
 *
 * @internal
 */
export function poolClaimKey(pool: IStoragePool): string {
  const name = LITERAL_POOL_NAME.get(pool) ?? pool.poolName;
  return Token.isUnresolved(name) ? `construct:${pool.node.path}` : name;
}

/** The literal libvirt names of pools whose `poolName` is a reference. @internal */
export const LITERAL_POOL_NAME = new WeakMap<IStoragePool, string>();

/** The libvirt type of pools whose type is known (owned pools, and imports that declare it). @internal */
export const POOL_TYPE = new WeakMap<IStoragePool, string>();

/** Pool types whose volumes are files (qcow2, raw, ISO; linked clones work). @internal */
export const FILE_POOL_TYPES = ['dir', 'fs', 'netfs'];
