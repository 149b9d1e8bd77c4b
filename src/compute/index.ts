export * from './guest-options';
export * from './cloud-init';
export * from './virtual-machine';
export * from './vm-cluster';
