export * from './errors';
export * from './size';
export * from './pci-address';
export * from './mac-address';
export * from './cidr';
export * from './libvirt-host';
export * from './contracts';
export * from './replace-trigger';
