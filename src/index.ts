// The high-level API is flat: `import { VmCluster, IsolatedNetwork, StoragePool } from 'cdktf-libvirt'`.
export * from './core';
export * from './storage';
export * from './network';
export * from './compute';
export * from './devices';
export * from './checks';
// src/preview is not re-exported: its document type is a TypeScript union; import it from
// 'cdktf-libvirt/lib/preview' (the CLI does).

/**
 * The generated L1 bindings for `dmacvicar/libvirt`, for what the high-level constructs do not cover:
 * `new libvirt.domain.Domain(...)`, `libvirt.network.Network`, ...
 */
export * as libvirt from './imports/libvirt';
