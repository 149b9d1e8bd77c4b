import { TerraformStack } from 'cdktf';
import { CLUSTER_SIZE, IMAGE_URL, LabShape, SSH_KEY, hostUri, subnetOf } from './shape';
import { VmCluster } from '../src/compute';
import { Ipv4Cidr, LibvirtHost, Size } from '../src/core';
import { IsolatedNetwork } from '../src/network';
import { BaseImage, ImageSource, StoragePool } from '../src/storage';

/**
 * The benchmark lab written with the high-level constructs: per host a dir pool, a base image and
 * an isolated network; the guests as VmClusters of at most CLUSTER_SIZE nodes spread round-robin
 * over all hosts, each node with a linked-clone boot disk, a cloud-init seed and one NIC.
 */
export function buildHighLevelLab(stack: TerraformStack, shape: LabShape): void {
  const hosts: LibvirtHost[] = [];
  const pools: StoragePool[] = [];
  const networks: IsolatedNetwork[] = [];
  let image: BaseImage | undefined;
  for (let h = 0; h < shape.hosts; h++) {
    const host = new LibvirtHost(stack, `Kvm${h + 1}`, { uri: hostUri(h) });
    hosts.push(host);
    const pool = new StoragePool(stack, `Pool${h + 1}`, { host, name: 'lab' });
    pools.push(pool);
    networks.push(new IsolatedNetwork(stack, `Net${h + 1}`, { host, networkName: 'lab-net', subnet: Ipv4Cidr.of(subnetOf(h)) }));
    // One BaseImage: it is materialized in each pool it is used in.
    if (!image) image = new BaseImage(stack, 'Noble', { source: ImageSource.url(IMAGE_URL) });
  }
  for (let c = 0; c * CLUSTER_SIZE < shape.guests; c++) {
    new VmCluster(stack, `Group${c + 1}`, {
      count: Math.min(CLUSTER_SIZE, shape.guests - c * CLUSTER_SIZE),
      namePrefix: `g${c + 1}`,
      hosts,
      pools,
      networks,
      bootImage: image,
      bootDiskSize: Size.gibibytes(20),
      vcpus: 2,
      memory: Size.gibibytes(2),
      antiAffinity: false,
      cloudInit: { users: [{ name: 'ops', sshAuthorizedKeys: [SSH_KEY] }], packages: ['qemu-guest-agent'] },
    });
  }
}
