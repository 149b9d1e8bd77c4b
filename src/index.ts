export * from './core';

/**
 * The generated L1 bindings for `dmacvicar/libvirt`, for what the high-level constructs do not cover:
 * `new libvirt.domain.Domain(...)`, `libvirt.network.Network`, ...
 */
export * as libvirt from './imports/libvirt';
