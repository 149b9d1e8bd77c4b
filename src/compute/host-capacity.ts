import { IConstruct } from 'constructs';
import { LibvirtHost } from '../core/libvirt-host';
import { Size } from '../core/size';
import { ValidationError } from '../core/validation-error';

/** What one guest takes from its host. */
export interface GuestDemand {
  readonly guest: IConstruct;
  readonly vcpus: number;
  readonly memory: Size;
  /** Page size of the huge pages the guest's memory is backed by. */
  readonly hugepageSize?: Size;
}

/** Guests per host, in construction order. */
const GUESTS = new WeakMap<LibvirtHost, GuestDemand[]>();

/**
 * Records a guest on its host and checks the host's declared inventory: vCPUs against
 * `cpuThreads × cpuOvercommitRatio`, memory against `memory × memoryOvercommitRatio`, and huge
 * pages against the declared pools. Throws, naming the guest that no longer fits, the sum, the
 * capacity and every guest on the host. Checks whose inventory field is absent are skipped.
 */
export function placeGuest(host: LibvirtHost, demand: GuestDemand): void {
  const guests = [...(GUESTS.get(host) ?? []), demand];
  const inv = host.inventory;
  const list = (f: (g: GuestDemand) => string) => guests.map((g) => `${g.guest.node.path} (${f(g)})`).join(', ');

  if (inv.cpuThreads !== undefined) {
    const ratio = inv.cpuOvercommitRatio ?? 1;
    const capacity = Math.floor(inv.cpuThreads * ratio);
    const sum = guests.reduce((a, g) => a + g.vcpus, 0);
    if (sum > capacity) {
      throw new ValidationError(demand.guest, 'vcpus', demand.vcpus,
        `within the vCPU capacity of host ${host.node.path} (${inv.cpuThreads} threads × overcommit ${ratio} = ${capacity})`,
        `The guests on that host would need ${sum} vCPUs: ${list((g) => String(g.vcpus))}. `
        + 'Use fewer vCPUs, another host, or allow overcommit with the host\'s inventory.cpuOvercommitRatio.');
    }
  }
  if (inv.memory !== undefined) {
    const ratio = inv.memoryOvercommitRatio ?? 1;
    const capacity = Math.floor(inv.memory.toBytes() * ratio);
    const sum = guests.reduce((a, g) => a + g.memory.toBytes(), 0);
    if (sum > capacity) {
      throw new ValidationError(demand.guest, 'memory', demand.memory,
        `within the memory capacity of host ${host.node.path} (${inv.memory} × overcommit ${ratio} = ${Size.bytes(capacity)})`,
        `The guests on that host would need ${Size.bytes(sum)}: ${list((g) => String(g.memory))}. `
        + 'Use less memory, another host, or allow overcommit with the host\'s inventory.memoryOvercommitRatio.');
    }
  }
  if (demand.hugepageSize && inv.hugepages !== undefined) {
    const size = demand.hugepageSize;
    const declared = inv.hugepages.find((h) => h.pageSize.isEqual(size));
    if (!declared) {
      throw new ValidationError(demand.guest, 'hugepageSize', size,
        `a page size host ${host.node.path} has reserved (${inv.hugepages.map((h) => String(h.pageSize)).join(', ') || 'none'})`);
    }
    const users = guests.filter((g) => g.hugepageSize?.isEqual(size));
    const pages = users.reduce((a, g) => a + Math.ceil(g.memory.toBytes() / size.toBytes()), 0);
    if (pages > declared.count) {
      throw new ValidationError(demand.guest, 'memory', demand.memory,
        `within the ${size} huge pages of host ${host.node.path} (${declared.count} reserved)`,
        `The guests backed by them would need ${pages} pages: ${users.map((g) => `${g.guest.node.path} (${g.memory})`).join(', ')}.`);
    }
  }
  GUESTS.set(host, guests);
}

/** The guests placed on `host` so far. */
export function guestsOn(host: LibvirtHost): GuestDemand[] {
  return [...(GUESTS.get(host) ?? [])];
}
