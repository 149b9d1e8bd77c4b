/** One benchmark lab: how many guests over how many hosts. */
export interface LabShape {
  readonly guests: number;
  readonly hosts: number;
}

/** Guests per VmCluster (a cluster holds at most 999 nodes; labs use groups of 100). */
export const CLUSTER_SIZE = 100;

export const IMAGE_URL = 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img';

/** The connection URI of host `h` (never contacted: the benchmark only synthesizes). */
export function hostUri(h: number): string {
  return `qemu+ssh://root@kvm${h + 1}.lab.example/system`;
}

/** The isolated network's subnet on host `h`: a /20 holds 1000 guests on one host. */
export function subnetOf(h: number): string {
  return `10.${100 + h}.0.0/20`;
}

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkKeyNotARealOne ops@lab';
