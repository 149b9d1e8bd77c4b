import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Ipv4Cidr, Ipv6Cidr } from '../core/cidr';
import { LibvirtHost } from '../core/libvirt-host';
import { ValidationError } from '../core/validation-error';

const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$/;

/**
 * Checks a host network interface name (at most 15 characters, IFNAMSIZ). Tokens and
 * `undefined` pass through.
 *
 * @internal
 */
export function validateInterfaceName(scope: IConstruct, prop: string, name: string | undefined): string | undefined {
  if (name === undefined || Token.isUnresolved(name)) return name;
  if (typeof name !== 'string' || !IFNAME_RE.test(name)) {
    throw new ValidationError(scope, prop, name,
      'a host interface name of 1-15 characters (IFNAMSIZ): letters, digits, \'_\', \'.\', \'@\' or \'-\', starting with a letter or digit');
  }
  return name;
}

interface SubnetClaim {
  readonly owner: IConstruct;
  readonly subnet: Ipv4Cidr | Ipv6Cidr;
}

/** The subnets of each host's networks, for the overlap check. */
const SUBNETS_BY_HOST = new WeakMap<LibvirtHost, SubnetClaim[]>();

/**
 * Records that `owner` (a network) uses `subnet` on `host`. Throws, naming the other network,
 * when the subnet overlaps one of the same family already recorded on the host.
 *
 * @internal
 */
export function claimSubnet(host: LibvirtHost, owner: IConstruct, prop: string, subnet: Ipv4Cidr | Ipv6Cidr): void {
  const claims = SUBNETS_BY_HOST.get(host) ?? [];
  const v4 = subnet instanceof Ipv4Cidr;
  for (const claim of claims) {
    if (claim.owner === owner || (claim.subnet instanceof Ipv4Cidr) !== v4) continue;
    const overlaps = v4
      ? (claim.subnet as Ipv4Cidr).overlaps(subnet as Ipv4Cidr)
      : (claim.subnet as Ipv6Cidr).overlaps(subnet as Ipv6Cidr);
    if (overlaps) {
      throw new ValidationError(owner, prop, subnet.toString(), `a subnet that overlaps no other network on host ${host.node.path}`,
        `It overlaps ${claim.subnet} of ${claim.owner.node.path}.`);
    }
  }
  claims.push({ owner, subnet });
  SUBNETS_BY_HOST.set(host, claims);
}
