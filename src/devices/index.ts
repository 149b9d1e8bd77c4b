export * from './sriov-nic';
export * from './passthrough-device';
export * from './node-device-lookup';
