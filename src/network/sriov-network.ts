import { Construct } from 'constructs';
import { NetworkBase, NetworkBaseProps } from './network-base';
import { validateInterfaceName } from './validation';
import { IGuest, NetworkKind, NicAttachment } from '../core/contracts';
import { validateInt } from '../core/names';
import { PciAddress } from '../core/pci-address';
import { ValidationError } from '../core/validation-error';
import { DomainDevicesInterfaces } from '../imports/libvirt/domain';
import { NetworkForward, NetworkVlan } from '../imports/libvirt/network';

/** Properties of an `SriovNetwork`. Give exactly one of `physicalFunction` and `virtualFunctions`. */
export interface SriovNetworkProps extends NetworkBaseProps {
  /**
   * The SR-IOV physical function (PF) whose VFs form the pool, e.g. `ens1f0` (`forward.pfs`).
   * libvirt picks a free VF for each guest NIC. When the host inventory declares the PF, drawing
   * more VFs than its `vfCount` is an error at synth.
   * @default - none; give `virtualFunctions` instead
   */
  readonly physicalFunction?: string;
  /**
   * An explicit list of VFs by PCI address (`forward.addresses`). At most one guest NIC per VF.
   * @default - none; give `physicalFunction` instead
   */
  readonly virtualFunctions?: PciAddress[];
  /**
   * An 802.1Q VLAN tag (1-4094) that libvirt sets on each VF (`vlan.tags`). Needs provider
   * v0.9.5 or later (the tag id was read-only before).
   * @default - untagged
   */
  readonly vlanTag?: number;
}

/**
 * A pool of SR-IOV virtual functions (`<forward mode='hostdev' managed='yes'>` with driver vfio):
 * each guest NIC attached to it is given one VF, passed through to the guest with VFIO.
 *
 * VF trust (`ip link set PF vf N trust on`) and spoof checking are not settable through libvirt
 * for hostdev networks (`trustGuestRxFilters` applies to macvtap only); set them on the host.
 * The provider cannot create VFs either (`sriov_numvfs` is a host setting).
 *
 * @see https://libvirt.org/formatnetwork.html#connectivity
 * @example
 * new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0', vlanTag: 100 });
 */
export class SriovNetwork extends NetworkBase {
  /** Always `NetworkKind.SRIOV`. */
  public readonly kind: NetworkKind = NetworkKind.SRIOV;
  /** The physical function, when the pool is built from one. */
  public readonly physicalFunction?: string;
  /** The explicit VF list, when the pool is built from one. */
  public readonly virtualFunctions?: PciAddress[];
  /** The VLAN tag, if any. */
  public readonly vlanTag?: number;
  private readonly draws: IGuest[] = [];

  constructor(scope: Construct, id: string, props: SriovNetworkProps) {
    super(scope, id, props);
    const hasPf = props.physicalFunction !== undefined;
    const hasVfs = props.virtualFunctions !== undefined;
    if (hasPf === hasVfs) {
      throw new ValidationError(this, hasPf ? 'virtualFunctions' : 'physicalFunction', hasPf ? props.virtualFunctions!.map(String) : undefined,
        'given when the other is not: set exactly one of \'physicalFunction\' and \'virtualFunctions\'');
    }
    if (hasPf) {
      validateInterfaceName(this, 'physicalFunction', props.physicalFunction);
      if (this.host.inventory.sriovPhysicalFunctions !== undefined) {
        try {
          this.host.physicalFunction(props.physicalFunction!);
        } catch {
          throw new ValidationError(this, 'physicalFunction', props.physicalFunction,
            `an SR-IOV physical function declared in the inventory of host ${this.host.node.path} `
            + `(${this.host.inventory.sriovPhysicalFunctions.map((p) => JSON.stringify(p.name)).join(', ') || 'none declared'})`);
        }
      }
      this.physicalFunction = props.physicalFunction;
    } else {
      const vfs = props.virtualFunctions!;
      if (!Array.isArray(vfs) || vfs.length === 0) {
        throw new ValidationError(this, 'virtualFunctions', vfs, 'a list of at least one PciAddress');
      }
      const seen = new Set<string>();
      for (const vf of vfs) {
        if (!(vf instanceof PciAddress)) {
          throw new ValidationError(this, 'virtualFunctions', vf, 'a list of PciAddress values, e.g. PciAddress.of("0000:3b:02.3")');
        }
        if (seen.has(vf.toString())) {
          throw new ValidationError(this, 'virtualFunctions', vfs.map(String), 'a list without duplicates', `${vf} is listed twice.`);
        }
        seen.add(vf.toString());
        this.host.claim('PCI device', vf.toString(), this, 'virtualFunctions');
      }
      this.virtualFunctions = [...vfs];
    }
    if (props.vlanTag !== undefined) this.vlanTag = validateInt(this, 'vlanTag', props.vlanTag, 1, 4094);
  }

  /**
   * The interface a NIC on this network gets; draws one VF. Throws when the pool has no free VF.
   */
  public attach(guest: IGuest): NicAttachment {
    const attachment = super.attach(guest);
    if (this.physicalFunction !== undefined) {
      this.host.drawVirtualFunction(this.physicalFunction, guest, 'network');
    } else {
      const vfs = this.virtualFunctions!;
      this.draws.push(guest);
      if (this.draws.length > vfs.length) {
        const who = [...new Set(this.draws.map((g) => g.node.path))].join(', ');
        throw new ValidationError(guest, 'network', this.node.path,
          `an SR-IOV network with a free VF (${this.node.path} lists ${vfs.length}: ${vfs.join(', ')})`,
          `VF number ${this.draws.length} was asked for; claimants: ${who}. List more virtualFunctions.`);
      }
    }
    return attachment;
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return {
      mode: 'hostdev',
      managed: true,
      driver: { name: 'vfio' },
      pfs: this.physicalFunction !== undefined ? [{ dev: this.physicalFunction }] : undefined,
      addresses: this.virtualFunctions?.map((vf) => ({ pci: vf.toNumbers() })),
    };
  }

  /** @internal */
  protected _renderVlan(): NetworkVlan | undefined {
    return this.vlanTag !== undefined ? { tags: [{ id: this.vlanTag }] } : undefined;
  }

  /** @internal */
  protected _renderInterface(_guest: IGuest): DomainDevicesInterfaces {
    return { source: { network: { network: this._nameReference } } };
  }
}
