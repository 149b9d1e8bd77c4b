import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  GuestDeviceConfig, Hypervisor, HostInventory, IGuest, IGuestDevice, INetwork, LibvirtHost, NetworkKind, NicAttachment,
  PciAddress, Size,
} from '../../src/core';
import { Domain } from '../../src/imports/libvirt/domain';

/** A fresh app, stack and host (with an optional inventory) for one test. */
export function hostStack(inventory?: HostInventory): { stack: TerraformStack; host: LibvirtHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const host = new LibvirtHost(stack, 'Host', { inventory });
  return { stack, host };
}

/** Options of a `FakeGuest`. */
export interface FakeGuestOptions {
  readonly host: LibvirtHost;
  readonly memberIndex?: number;
  readonly hypervisor?: Hypervisor;
  readonly devices?: IGuestDevice[];
}

/**
 * A minimal guest: binds its devices and renders them into one L1 `Domain`, so tests see the
 * devices the way the provider gets them (snake_case JSON through the generated bindings).
 */
export class FakeGuest extends Construct implements IGuest {
  public readonly host: LibvirtHost;
  public readonly guestName: string;
  public readonly hypervisor: Hypervisor;
  public readonly memberIndex: number;
  public readonly memory = Size.gibibytes(2);
  public readonly configs: GuestDeviceConfig[];

  constructor(scope: Construct, id: string, options: FakeGuestOptions) {
    super(scope, id);
    this.host = options.host;
    this.guestName = id.toLowerCase();
    this.hypervisor = options.hypervisor ?? Hypervisor.KVM;
    this.memberIndex = options.memberIndex ?? 0;
    this.configs = (options.devices ?? []).map((d) => d.bind(this));
    new Domain(this, 'Resource', {
      provider: this.host.provider,
      name: this.guestName,
      type: this.hypervisor,
      devices: {
        interfaces: this.configs.flatMap((c) => c.interfaces ?? []),
        hostdevs: this.configs.flatMap((c) => c.hostdevs ?? []),
      },
    });
  }
}

/** The synthesized `libvirt_domain` of a `FakeGuest` with construct id `id`, from the stack's JSON. */
export function domainOf(stack: TerraformStack, id: string): any {
  const json = JSON.parse(Testing.synth(stack));
  const domains = json.resource?.libvirt_domain ?? {};
  const key = Object.keys(domains).find((k) => domains[k].name === id.toLowerCase());
  if (!key) throw new Error(`no domain named ${id.toLowerCase()} in ${Object.keys(domains).join(', ')}`);
  return domains[key];
}

/**
 * A stand-in for the network engineer's `SriovNetwork`: an SR-IOV pool network over one PF that
 * draws a VF from the host per attached guest.
 */
export class FakeSriovNetwork extends Construct implements INetwork {
  public readonly host: LibvirtHost;
  public readonly networkName: string;
  public readonly kind: NetworkKind;

  constructor(scope: Construct, id: string, host: LibvirtHost, private readonly pf: string, kind: NetworkKind = NetworkKind.SRIOV) {
    super(scope, id);
    this.host = host;
    this.networkName = id.toLowerCase();
    this.kind = kind;
  }

  public reserveAddress(): string {
    throw new Error('an SR-IOV pool has no addresses');
  }

  public attach(guest: IGuest): NicAttachment {
    this.host.drawVirtualFunction(this.pf, guest, 'network');
    return { interface: { source: { network: { network: this.networkName } } } };
  }
}

/** An inventory with one PF `ens1f0` with `vfCount` VFs at 0000:3b:02.0, .1, ... */
export function sriovInventory(vfCount: number, listAddresses: boolean = true): HostInventory {
  return {
    sriovPhysicalFunctions: [{
      name: 'ens1f0',
      vfCount,
      vfAddresses: listAddresses ? Array.from({ length: vfCount }, (_, i) => PciAddress.of(`0000:3b:02.${i}`)) : undefined,
    }],
  };
}
