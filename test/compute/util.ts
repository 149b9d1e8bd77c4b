import 'cdktf/lib/testing/adapters/jest';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  AddressRequest, GuestDeviceConfig, IGuest, IGuestDevice, INetwork, Ipv4Cidr, LibvirtHost, LibvirtHostProps, NetworkKind, NicAttachment, Size,
} from '../../src/core';
import { IsolatedNetwork, NatNetwork } from '../../src/network';
import { BaseImage, ImageSource, StoragePool } from '../../src/storage';

/** A fresh app and stack with one host `Kvm01`, a dir pool, a NAT network and a base image. */
export function lab(hostProps: LibvirtHostProps = {}) {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'Lab');
  const host = new LibvirtHost(stack, 'Kvm01', hostProps);
  const pool = new StoragePool(stack, 'Pool', { host });
  const net = new NatNetwork(stack, 'Net', { host, subnet: Ipv4Cidr.of('10.10.0.0/24') });
  const image = new BaseImage(stack, 'Noble', {
    source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
    virtualSize: Size.gibibytes(3),
  });
  return { app, stack, host, pool, net, image };
}

/** A second host with its own pool and isolated network, in the same stack. */
export function secondHost(stack: TerraformStack, id: string = 'Kvm02', hostProps: LibvirtHostProps = {}) {
  const host = new LibvirtHost(stack, id, { uri: `qemu+ssh://root@${id.toLowerCase()}.lab/system`, ...hostProps });
  const pool = new StoragePool(stack, `${id}Pool`, { host, name: 'pool' });
  const net = new IsolatedNetwork(stack, `${id}Net`, { host, networkName: 'net', subnet: Ipv4Cidr.of('10.20.0.0/24') });
  return { host, pool, net };
}

/** The synthesized stack as JSON. */
export function synthJson(stack: TerraformStack, runValidations: boolean = false): any {
  return JSON.parse(Testing.synth(stack, runValidations));
}

/** The resources of `type` keyed by logical id. */
export function resources(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The one resource of `type` whose logical id starts with `prefix`. */
export function resourceOf(json: any, type: string, prefix: string): any {
  const all = resources(json, type);
  const keys = Object.keys(all).filter((k) => k.startsWith(prefix));
  if (keys.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}; have ${Object.keys(all).join(', ')}`);
  return all[keys[0]];
}

/** The `libvirt_domain` of a guest whose construct path below the stack is `prefix` (`Web`, `Workers_Node1`). */
export function domainOf(json: any, prefix: string): any {
  const all = resources(json, 'libvirt_domain');
  const key = Object.keys(all).find((k) => new RegExp(`^${prefix}_[0-9A-F]{8}$`).test(k));
  if (!key) throw new Error(`no libvirt_domain for ${prefix}; have ${Object.keys(all).join(', ')}`);
  return all[key];
}

/**
 * A network that only honours the INetwork contract: it records requests, hands out addresses
 * from .10 upwards, and attaches NICs through a bridge. For tests of the contract boundary.
 */
export class FakeNetwork extends Construct implements INetwork {
  public readonly networkName: string;
  public readonly requests: AddressRequest[] = [];
  private next = 10;
  constructor(scope: Construct, id: string, public readonly host: LibvirtHost,
    public readonly kind: NetworkKind = NetworkKind.BRIDGED, public readonly ipv4Subnet?: Ipv4Cidr) {
    super(scope, id);
    this.networkName = id.toLowerCase();
  }
  public reserveAddress(request: AddressRequest): string {
    this.requests.push(request);
    return request.address ?? this.ipv4Subnet!.hostAddress(this.next++);
  }
  public attach(_guest: IGuest): NicAttachment {
    return { interface: { source: { bridge: { bridge: 'br0' } } } };
  }
}

/** A device that returns a fixed config and records the guests it was bound to. */
export class FakeDevice implements IGuestDevice {
  public readonly guests: IGuest[] = [];
  constructor(private readonly config: GuestDeviceConfig) {}
  public bind(guest: IGuest): GuestDeviceConfig {
    this.guests.push(guest);
    return this.config;
  }
}
